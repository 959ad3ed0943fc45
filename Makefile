# Everyday commands. `make config-check` needs no Docker engine, only the compose CLI.

# Compose v2 plugin when installed, else the standalone docker-compose.
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
PROFILES := mssql postgres observability

.PHONY: up down logs test bench clean run config-check

up: .env
	$(COMPOSE) up -d --build

# Keeps the named volumes; `$(COMPOSE) down -v` also deletes the data.
down:
	$(COMPOSE) down

logs:
	$(COMPOSE) logs -f --tail=200

test:
	./mvnw -B verify

bench:
	bench/run

clean:
	./mvnw -q clean
	rm -rf ./data

run:
	./mvnw -q package -DskipTests && java -jar target/ingest-router.jar

# .env.example stands in for .env, so this also runs on a fresh clone.
config-check:
	$(COMPOSE) --env-file .env.example config -q
	for profile in $(PROFILES); do $(COMPOSE) --env-file .env.example --profile $$profile config -q || exit 1; done
	./mvnw -B -q test -Dtest='KubernetesManifestsTest,ComposeConfigTest,GrafanaDashboardTest' -Dsurefire.failIfNoSpecifiedTests=false

.env:
	@echo "No .env: run cp .env.example .env and change the passwords." >&2; exit 1
