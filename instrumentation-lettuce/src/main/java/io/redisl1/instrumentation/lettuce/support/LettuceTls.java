package io.redisl1.instrumentation.lettuce.support;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * A JDK socket factory with the trust and key material of a Lettuce connection's own {@code
 * SslOptions}, so that the invalidation channel trusts exactly what the application's connection
 * trusts. Lettuce builds its TLS with Netty; the options' {@code createSslContextBuilder()} is built
 * here with Netty's JDK provider, whose context is a plain {@link SSLContext}. Reflective, since
 * the Netty and Lettuce classes are the application's; null where any step is not available.
 */
public final class LettuceTls {
  private LettuceTls() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static SSLSocketFactory socketFactoryOf(Object clientOptions) {
    try {
      Object sslOptions = clientOptions.getClass().getMethod("getSslOptions").invoke(clientOptions);
      if (sslOptions == null) {
        return null;
      }
      Object builder = sslOptions.getClass().getMethod("createSslContextBuilder").invoke(sslOptions);
      Class<?> providers = Class.forName("io.netty.handler.ssl.SslProvider", false, builder.getClass().getClassLoader());
      builder.getClass().getMethod("sslProvider", providers).invoke(builder, Enum.valueOf((Class) providers, "JDK"));
      Object context = builder.getClass().getMethod("build").invoke(builder);
      Object jdk = context.getClass().getMethod("context").invoke(context);
      return jdk instanceof SSLContext ? ((SSLContext) jdk).getSocketFactory() : null;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // the channel falls back to the JVM's default SSL context
    }
  }
}
