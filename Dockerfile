# The lab gateway (routes/lab.gw), for docker-compose.yml.
FROM rust:1-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake pkg-config libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN cargo build --release --locked -p routes --bin lab-gateway

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/target/release/lab-gateway /usr/local/bin/lab-gateway
EXPOSE 6188 9100
CMD ["lab-gateway"]
