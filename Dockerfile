# Builds the single Databus binary in a Bun image and runs it in a slim image.
# Volumes: /data (the JSON store) and /plugins (your driver files). The console listens on 0.0.0.0:8080.
FROM oven/bun:1.4.5 AS build
WORKDIR /src
COPY package.json package-lock.json bunfig.toml tsconfig.json ./
# bun reads package-lock.json (exact versions) when there is no bun.lock.
RUN bun install --ignore-scripts
COPY src ./src
COPY public ./public
COPY data ./data
COPY plugins ./plugins
COPY scripts ./scripts
RUN bun run scripts/build.ts dist/databus

FROM debian:bookworm-slim
RUN useradd --system --home /databus databus && mkdir -p /databus /data /plugins \
 && ln -s /data /databus/data && ln -s /plugins /databus/plugins && chown -R databus /databus /data /plugins
COPY --from=build /src/dist/databus /databus/databus
USER databus
VOLUME ["/data", "/plugins"]
EXPOSE 8080
ENV DATABUS_HOST=0.0.0.0 DATABUS_PORT=8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/databus/databus"]
CMD ["serve", "--home", "/databus"]
