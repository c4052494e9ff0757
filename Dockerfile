# The load generator as a container: the `serving-stacks` CLI, run as one shard of a fleet
# (`loadtest --fleet …`) on ECS Fargate or Cloud Run jobs. Build and push: README, "The load
# generator image". The base is pinned by tag (Node 20, the version the project supports);
# pin it by digest too in a registry you control.
FROM node:20.20-bookworm-slim

ENV NODE_ENV=production \
    NO_COLOR=1 \
    npm_config_update_notifier=false

WORKDIR /app

# Dependencies first, from the lock file only, so a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The sources the CLI loads (TypeScript, run through tsx: there is no build step).
COPY bin ./bin
COPY constructs ./constructs
COPY load-tests ./load-tests
COPY aws ./aws
COPY gcp ./gcp
COPY pipelines ./pipelines
COPY tsconfig.json cdk.json Pulumi.yaml ./

# The `node` user of the official image (uid 1000): the generator needs no privilege. tsx
# caches compiled sources under the temporary directory, which that user can write.
USER node

ENTRYPOINT ["node", "/app/bin/serving-stacks.js"]
CMD ["--help"]
