package io.redisl1.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.time.Duration;

/**
 * Last resort: {@code redis:7-alpine} through Testcontainers, for machines where the embedded
 * binary cannot run (musl, unusual CPUs). Testcontainers is reached only by reflection and is not
 * a dependency of this module: a test module that wants this path adds it to its own test
 * classpath, and every other module never loads it. Needs a Docker engine, which our own machines
 * do not have, so this path must never be the only one.
 */
final class ContainerRedis implements RedisHandle {
  private static final String IMAGE = "redis:7-alpine";
  private static final int REDIS_PORT = 6379;
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(30);

  private final Object container;
  private final RedisEndpoint endpoint;
  private boolean closed;

  private ContainerRedis(Object container, RedisEndpoint endpoint) {
    this.container = container;
    this.endpoint = endpoint;
  }

  /** True only if Testcontainers is on the classpath and finds a Docker engine. */
  static boolean available() {
    try {
      Class<?> factory = load("org.testcontainers.DockerClientFactory");
      Object instance = factory.getMethod("instance").invoke(null);
      return (Boolean) factory.getMethod("isDockerAvailable").invoke(instance);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return false;
    }
  }

  static ContainerRedis start() {
    try {
      Class<?> imageName = load("org.testcontainers.utility.DockerImageName");
      Class<?> generic = load("org.testcontainers.containers.GenericContainer");
      Object image = imageName.getMethod("parse", String.class).invoke(null, IMAGE);
      Object container = generic.getConstructor(imageName).newInstance(image);
      generic.getMethod("withExposedPorts", Integer[].class)
          .invoke(container, (Object) new Integer[] {REDIS_PORT});
      generic.getMethod("start").invoke(container);
      String host = (String) generic.getMethod("getHost").invoke(container);
      int port = (Integer) generic.getMethod("getMappedPort", int.class).invoke(container, REDIS_PORT);
      ContainerRedis redis = new ContainerRedis(container, new RedisEndpoint(host, port));
      try {
        Readiness.awaitPing(redis.endpoint, PING_TIMEOUT, () -> true, () -> "(container " + IMAGE + ")");
      } catch (RuntimeException e) {
        redis.close();
        throw e;
      }
      return redis;
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("Testcontainers could not start " + IMAGE, e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("unexpected Testcontainers API", e);
    }
  }

  private static Class<?> load(String name) throws ClassNotFoundException {
    return Class.forName(name, true, ContainerRedis.class.getClassLoader());
  }

  @Override
  public RedisEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public String description() {
    return "Testcontainers " + IMAGE + " at " + endpoint;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      container.getClass().getMethod("stop").invoke(container);
    } catch (ReflectiveOperationException | RuntimeException ignored) {
      // Testcontainers' Ryuk reaper removes the container when this JVM exits anyway.
    }
  }
}
