# alivpn-doctor container image.
#
#   docker build -t alivpn-doctor .
#   docker run -d -p 9756:9756 \
#     -v "$PWD/config.yaml:/etc/alivpn-doctor/config.yaml:ro" \
#     -v alivpn-data:/var/lib/alivpn-doctor \
#     -e ALIBABA_CLOUD_ACCESS_KEY_ID -e ALIBABA_CLOUD_ACCESS_KEY_SECRET -e ALIVPN_TOKEN \
#     alivpn-doctor                       # `serve` with the mounted config
#   docker run --rm -p 9756:9756 alivpn-doctor demo --host 0.0.0.0   # the demo, no config needed
#
# Both stages use the same Node.js image, so better-sqlite3's native module built (or fetched) in
# the build stage matches the runtime's Node ABI and glibc.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
# Toolchain for native modules when no prebuilt binary matches (better-sqlite3).
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="alivpn-doctor" \
  org.opencontainers.image.description="Watches Alibaba Cloud IPsec-VPN connections and names the cause of every failure" \
  org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
  ALIVPN_CONFIG=/etc/alivpn-doctor/config.yaml
# A dedicated unprivileged user with fixed ids (Kubernetes runAsNonRoot checks the numeric id).
RUN groupadd --system --gid 10001 alivpn \
  && useradd --system --uid 10001 --gid alivpn --home-dir /var/lib/alivpn-doctor --no-create-home \
    --shell /usr/sbin/nologin alivpn \
  && mkdir -p /var/lib/alivpn-doctor /etc/alivpn-doctor \
  && chown alivpn:alivpn /var/lib/alivpn-doctor
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY rules ./rules
COPY scenarios ./scenarios
COPY config/example.yaml /etc/alivpn-doctor/example.yaml
# The SQLite store: the default `storage.path` (./data/alivpn.db) is relative to the working
# directory, so it lands on the volume; an explicit absolute path under it works as well.
VOLUME ["/var/lib/alivpn-doctor"]
WORKDIR /var/lib/alivpn-doctor
USER 10001:10001
EXPOSE 9756
# /healthz answers while the process is alive; no curl in the image, Node's fetch does it.
# It assumes the default `server.listen` port; override HEALTHCHECK if the config changes it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9756/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --optimize-for-size (V8: smaller new space, slower heap growth, earlier full GCs) takes the daemon's
# peak RSS at 4,000 tunnels from ~360 MB to ~285 MB for ~15% more CPU (bench/memory-probe.ts).
# Node refuses it in NODE_OPTIONS, so it is given here; the Deployment's NODE_OPTIONS adds the rest.
ENTRYPOINT ["node", "--optimize-for-size", "/app/bin/alivpn-doctor.js"]
CMD ["serve"]
