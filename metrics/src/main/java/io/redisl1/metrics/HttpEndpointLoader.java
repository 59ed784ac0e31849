package io.redisl1.metrics;

import java.io.IOException;
import java.io.InputStream;

/**
 * Defines the classes of {@code io.redisl1.metrics.http} itself, from the agent jar's bytes, in a
 * loader whose parent can see {@code jdk.httpserver}: the platform class loader when the agent
 * runs from the bootstrap path, else (tests) the loader of this class. Everything else, our own
 * classes included, comes from the parent, so both sides share {@link HttpEndpoint}.
 */
final class HttpEndpointLoader extends ClassLoader {
  private static final String PACKAGE = "io.redisl1.metrics.http.";
  private static final String IMPLEMENTATION = PACKAGE + "JdkHttpEndpoint";

  private HttpEndpointLoader(ClassLoader parent) {
    super(parent);
  }

  static HttpEndpoint jdkHttpServer() throws ReflectiveOperationException {
    ClassLoader own = HttpEndpointLoader.class.getClassLoader();
    HttpEndpointLoader loader = new HttpEndpointLoader(own == null ? ClassLoader.getPlatformClassLoader() : own);
    return (HttpEndpoint) loader.loadClass(IMPLEMENTATION).getConstructor().newInstance();
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(PACKAGE)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        byte[] bytes = bytesOf(name);
        c = defineClass(name, bytes, 0, bytes.length, HttpEndpointLoader.class.getProtectionDomain());
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private static byte[] bytesOf(String name) throws ClassNotFoundException {
    String resource = name.replace('.', '/') + ".class";
    ClassLoader own = HttpEndpointLoader.class.getClassLoader();
    try (InputStream in = own == null ? ClassLoader.getSystemResourceAsStream(resource) : own.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ClassNotFoundException(name + " is not in the agent jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
  }
}
