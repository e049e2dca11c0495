# statement-desk as a container image. Two stages: the first installs every dependency and runs
# `npm run build` (JavaScript in dist/); the second keeps production dependencies only, runs as
# the unprivileged `node` user, and checks GET /health. See docs/operations.md.
#   docker build -t statement-desk .
#   docker run -e DATABASE_URL=postgresql://... -e HOST=0.0.0.0 -p 3000:3000 statement-desk

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/build.mjs ./scripts/
COPY prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/var/lib/statement-desk INBOX_DIR=/var/lib/statement-desk/inbox
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs ./scripts/
# Production dependencies only: no TypeScript, no tsx, no Prisma CLI (the client is in dist/).
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY prisma/migrations ./prisma/migrations
COPY bin ./bin
COPY --from=build /app/dist ./dist
RUN mkdir -p /var/lib/statement-desk/inbox && chown -R node:node /var/lib/statement-desk
USER node
EXPOSE 3000
VOLUME ["/var/lib/statement-desk"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/statement-desk.js", "serve"]
