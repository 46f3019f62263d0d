/** The Docker image, built from {@code docker/Dockerfile} and checked with Testcontainers (skipped without a Docker engine). */
package io.splitroute.docker;
