# syntax=docker/dockerfile:1
# The canary-mapping sidecar image for argocd-repo-server (docs/install.md): the bundle on PATH as canary-mapping,
# cmp-plugin.yaml baked in where the cmp-server reads it, and a pinned Kustomize. Build from the repository root:
#   docker build -t registry.example.com/platform/canary-mapping-plugin:0.1.0 .
# Base images are pinned by version; to pin them by digest as well, see docs/install.md. Node.js 24, an LTS line
# (Node.js 20 reached its end of life in April 2026); the bundle itself still runs on Node.js 20.
ARG NODE_IMAGE=node:24.19.0-bookworm-slim

# 1. The bundle: one executable file, dist/canary-mapping, built exactly as on a developer's machine.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/launcher.mjs scripts/
COPY src src
RUN npm run build

# 2. Kustomize, fetched and checked against its SHA-256 before anything runs it.
#    Version 5.5.0, the Kustomize that kubectl 1.32 embeds. The sums are those of the release's checksums.txt
#    (https://github.com/kubernetes-sigs/kustomize/releases/tag/kustomize%2Fv5.5.0) for
#    kustomize_v5.5.0_linux_amd64.tar.gz and kustomize_v5.5.0_linux_arm64.tar.gz. They could not be downloaded where
#    this file was written: the maintainer checks them against checksums.txt when bumping KUSTOMIZE_VERSION.
FROM ${NODE_IMAGE} AS kustomize
ARG TARGETARCH=amd64
ARG KUSTOMIZE_VERSION=5.5.0
ARG KUSTOMIZE_SHA256_AMD64=6703a3a70a0c47cf0b37694030b54f1175a9dfeb17b3818b623ed58b9dbc2a77
ARG KUSTOMIZE_SHA256_ARM64=b4170d1acb8cfacace9f72884bef957ff56efdcd4813b66e7604aabc8b57e93d
WORKDIR /download
# The slim image has neither curl nor wget; Node's fetch does the download.
RUN set -eu; \
    case "${TARGETARCH}" in \
      amd64) sum="${KUSTOMIZE_SHA256_AMD64}" ;; \
      arm64) sum="${KUSTOMIZE_SHA256_ARM64}" ;; \
      *) echo "no Kustomize checksum for ${TARGETARCH}" >&2; exit 1 ;; \
    esac; \
    url="https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv${KUSTOMIZE_VERSION}/kustomize_v${KUSTOMIZE_VERSION}_linux_${TARGETARCH}.tar.gz"; \
    node -e 'fetch(process.argv[1]).then(async (r) => { if (!r.ok) throw new Error(`${r.status} ${r.url}`); require("node:fs").writeFileSync("kustomize.tar.gz", Buffer.from(await r.arrayBuffer())); })' "${url}"; \
    echo "${sum}  kustomize.tar.gz" | sha256sum -c -; \
    tar -xzf kustomize.tar.gz kustomize; \
    ./kustomize version

# 3. The sidecar: Node to run the bundle, the bundle, Kustomize and plugin.yaml; nothing else of the build.
FROM ${NODE_IMAGE}
# The package managers are not needed to run one file; leaving them out leaves less to patch.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && groupadd --gid 999 argocd \
 && useradd --uid 999 --gid 999 --home-dir /home/argocd --no-create-home --shell /usr/sbin/nologin argocd \
 && mkdir -p /home/argocd/cmp-server/config /home/argocd/cmp-server/plugins
COPY --from=build /src/dist/canary-mapping /usr/local/bin/canary-mapping
COPY --from=kustomize /download/kustomize /usr/local/bin/kustomize
COPY cmp-plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
# HOME and caches live in /tmp, the sidecar's own emptyDir (deploy/sidecar): the root filesystem stays read-only.
ENV HOME=/tmp \
    XDG_CACHE_HOME=/tmp/.cache
USER 999
WORKDIR /home/argocd
# Argo CD's cmp-server, which argocd-repo-server shares through the var-files volume; deploy/ sets the same command.
ENTRYPOINT ["/var/run/argocd/argocd-cmp-server"]
