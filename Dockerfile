# syntax=docker/dockerfile:1
# Debian (glibc) rather than Alpine: the native packages in package-lock.json (msgpackr-extract, rollup's
# platform builds) ship glibc binaries; the slim variant keeps the image small. Node 22 is the active LTS.

# Build stage: every dependency, including the TypeScript compiler, to produce dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeders ./seeders
# `npm run build` also builds the browser client.
COPY client ./client
COPY admin ./admin
RUN npm run build

# Production dependencies only, in their own stage so a source change does not reinstall them.
FROM node:22-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Runtime stage: compiled output and production dependencies, run by the unprivileged `node` user.
FROM node:22-bookworm-slim
# npm only launches scripts here (`npm run migrate`): it must not look for its own updates on the network.
ENV NODE_ENV=production \
    PORT=3000 \
    LOG_TO_FILES=false \
    DATA_DIR=/app/data \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app
COPY --chown=root:root package.json package-lock.json ./
COPY --chown=root:root --from=prod-deps /app/node_modules ./node_modules
COPY --chown=root:root --from=build /app/dist ./dist
COPY --chown=root:root --from=build /app/admin/dist ./admin/dist
COPY --chown=root:root scripts ./scripts
# Only the data directory (embedded database, local uploads) is writable by the app; the code is not.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# No curl in the slim image: Node's own fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form makes node PID 1, so SIGTERM reaches its graceful shutdown. Migrations as a one-off:
# `docker compose run --rm api npm run migrate` (or the ECS / Elastic Beanstalk hooks in deploy/).
CMD ["node", "dist/src/index.js"]
