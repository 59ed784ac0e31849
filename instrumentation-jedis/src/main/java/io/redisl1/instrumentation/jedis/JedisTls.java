package io.redisl1.instrumentation.jedis;

import java.lang.reflect.Field;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS socket factory a Jedis {@code Connection} was configured with, so that the invalidation
 * channel trusts exactly what the application's connection trusts: {@code
 * DefaultJedisSocketFactory}'s {@code sslSocketFactory} (Jedis 4+), or one made from its {@code
 * SslOptions} (Jedis 5.1+). Null when neither is set (Jedis then uses the JVM's default, as the
 * channel does) or when the fields are not there.
 */
final class JedisTls {
  private JedisTls() {}

  static SSLSocketFactory socketFactoryOf(Object connection) {
    Object socketFactory = field(connection, "socketFactory");
    if (socketFactory == null) {
      return null;
    }
    Object factory = field(socketFactory, "sslSocketFactory");
    if (factory instanceof SSLSocketFactory) {
      return (SSLSocketFactory) factory;
    }
    Object options = field(socketFactory, "sslOptions");
    if (options == null) {
      return null;
    }
    try {
      Object context = options.getClass().getMethod("createSslContext").invoke(options);
      return context instanceof javax.net.ssl.SSLContext ? ((javax.net.ssl.SSLContext) context).getSocketFactory() : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Object field(Object target, String name) {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // a module or security manager refuses: fall back to the JVM's default
      }
    }
    return null;
  }
}
