/**
 * Real Redis for the project's tests: a JUnit 5 extension and a plain {@code main}-friendly starter
 * ({@link io.redisl1.testsupport.RedisServers}) that provide a server, a tiny independent RESP2
 * client to observe it, and {@link io.redisl1.testsupport.ForkedJvm} to run code under the agent in
 * another JVM. Nothing here mocks Redis: every test talks to a real {@code redis-server}.
 */
package io.redisl1.testsupport;
