# Ventanilla hub image: one image, two roles (HUB_ROLE=api | worker), see docker-compose.yml.
FROM node:20-bookworm-slim

WORKDIR /app

# The hub runs TypeScript through tsx at runtime, so `npm ci --omit=dev` is not enough:
# install the whole lockfile. whatsapp-web.js (later) pulls puppeteer: never download a browser.
ENV PUPPETEER_SKIP_DOWNLOAD=1 \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false

# Manifests first so the dependency layer is cached until the lockfile changes.
COPY package.json package-lock.json ./
COPY hub/package.json hub/
COPY connectors/package.json connectors/
COPY bots/package.json bots/
COPY voice-bridge/package.json voice-bridge/
COPY inbox-ui/package.json inbox-ui/
COPY test/package.json test/
COPY bench/package.json bench/
RUN npm ci && npm cache clean --force

COPY . .
RUN mkdir -p /app/data && chown node:node /app/data

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data

USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "hub/src/main.ts"]
