/** The YAML config: one file, one immutable record tree ({@link io.splitroute.config.SplitrouteConfig}), every error reported with file, line and key. */
package io.splitroute.config;
