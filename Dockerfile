# Multi-stage build: compile in the Rust image, run in a slim Debian image
# as an unprivileged user with the database on a volume.
FROM rust:1-bookworm AS build
WORKDIR /src
# Dependencies first, so source edits do not rebuild them. The manifest
# names the criterion bench, so cargo needs that file to exist: a stub.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src benches && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && echo 'fn main() {}' > benches/render.rs \
    && cargo build --release --locked && rm -rf src
COPY src ./src
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
RUN touch src/main.rs src/lib.rs && cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin beacon \
    && mkdir -p /data && chown beacon /data
COPY --from=build /src/target/release/beacon /usr/local/bin/beacon
# The binary is self-contained: stylesheet, icons, templates and migrations are built in.
ENV BEACON_DATABASE_URL=sqlite:///data/beacon.db \
    BEACON_LISTEN=0.0.0.0:8080
USER beacon
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# Mount your config at /data/beacon.toml (or set BEACON_CONFIG); without one
# the built-in demo runs.
ENTRYPOINT ["beacon"]
CMD ["serve"]
