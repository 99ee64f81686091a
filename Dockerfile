# One image for every gongkai service; docker-compose.yml picks the service with `serve NAME`.

# The dashboard and the GraphQL IDE are built with the development packages, in a stage of their own.
FROM node:24-bookworm-slim AS dashboard
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts ./scripts
COPY schema ./schema
COPY examples ./examples
COPY dashboard ./dashboard
RUN node scripts/build-dashboard.mjs

FROM node:24-bookworm-slim
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY package.json package-lock.json ./
# embedded-postgres is only for machines without a database; compose runs a real one.
# No install scripts: the dashboard is built in the stage above, not by `prepare`.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY cli ./cli
COPY lib ./lib
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY schema ./schema
COPY --from=dashboard /build/dashboard/dist ./dashboard/dist
USER node
# --max-semi-space-size: as lib/runtime/services.ts runs the services (SERVICE_NODE_FLAGS)
ENTRYPOINT ["node", "--experimental-strip-types", "--disable-warning=ExperimentalWarning", "--max-semi-space-size=64", "bin/gongkai.js"]
CMD ["serve", "gateway"]
