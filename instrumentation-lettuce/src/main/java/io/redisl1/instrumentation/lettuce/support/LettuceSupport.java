package io.redisl1.instrumentation.lettuce.support;

import io.redisl1.store.Endpoints;
import io.redisl1.store.L1Runtime;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.Callable;

/**
 * Helpers for the inlined advice that need no Lettuce types: parsing a command's own RESP encoding
 * back into arguments, and reading the two handshake settings Lettuce keeps package-private.
 */
public final class LettuceSupport {
  private LettuceSupport() {}

  /** The arguments of one RESP request ({@code *N} then N bulk strings), or null if malformed. */
  public static byte[][] argv(byte[] resp) {
    int[] pos = {0};
    if (resp.length == 0 || resp[0] != '*') {
      return null;
    }
    pos[0] = 1;
    int n = (int) readLine(resp, pos);
    if (n < 1) {
      return null;
    }
    byte[][] argv = new byte[n][];
    for (int i = 0; i < n; i++) {
      if (pos[0] >= resp.length || resp[pos[0]] != '$') {
        return null;
      }
      pos[0]++;
      int len = (int) readLine(resp, pos);
      if (len < 0 || pos[0] + len + 2 > resp.length) {
        return null;
      }
      byte[] arg = new byte[len];
      System.arraycopy(resp, pos[0], arg, 0, len);
      argv[i] = arg;
      pos[0] += len + 2;
    }
    return argv;
  }

  private static long readLine(byte[] b, int[] pos) {
    long v = 0;
    boolean negative = false;
    int i = pos[0];
    if (i < b.length && b[i] == '-') {
      negative = true;
      i++;
    }
    while (i < b.length && b[i] != '\r') {
      v = v * 10 + (b[i] - '0');
      i++;
    }
    pos[0] = i + 2;
    return negative ? -v : v;
  }

  /**
   * The database Lettuce's handshake selected: {@code ConnectionState#getDb()}, package-private
   * since 6.0. -1 when it cannot be read, which makes the session stop trusting itself.
   */
  public static int dbOf(Object connectionState) {
    Object db = call(connectionState, "getDb");
    return db instanceof Integer ? ((Integer) db).intValue() : -1;
  }

  /**
   * The user Lettuce's handshake authenticated as: "default" without a username, null when it
   * cannot be known without blocking (a credentials provider that resolves asynchronously).
   */
  public static String userOf(Object connectionState) {
    Object credentials = credentialsOf(connectionState);
    if (credentials == null) {
      return null;
    }
    Object username = call(credentials, "getUsername");
    return username instanceof String && !((String) username).isEmpty() ? (String) username : "default";
  }

  /**
   * Tells the invalidation channels about a connection whose handshake is done: over TLS or not
   * ({@code handlers} are its Netty pipeline's), and the password it authenticated with, if any.
   */
  public static void reportConnection(
      L1Runtime runtime, SocketAddress remote, String user, Object connectionState, Collection<?> handlers) {
    String endpoint = Endpoints.of(remote);
    if (runtime == null || endpoint == null) {
      return;
    }
    for (Object handler : handlers) {
      if (handler.getClass().getName().endsWith(".SslHandler")) {
        runtime.usesTls(endpoint, null); // Lettuce's TLS is Netty's: the channel uses the JVM default
      }
    }
    Object credentials = user == null ? null : credentialsOf(connectionState);
    Object password = credentials == null ? null : call(credentials, "getPassword");
    if (password instanceof char[] && ((char[]) password).length > 0) {
      runtime.authenticated(endpoint, user, new String((char[]) password).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Lettuce's {@code RedisCredentials} of the handshake, when readable without blocking. */
  private static Object credentialsOf(Object connectionState) {
    Object provider = call(connectionState, "getCredentialsProvider"); // 6.2+
    if (provider == null) {
      return null;
    }
    Object credentials = call(provider, "resolveCredentialsNow"); // immediate providers
    if (credentials == null) {
      // RedisURI.Builder#withAuthentication wraps Mono.just(credentials): a scalar, readable
      // without subscribing. Anything else (a token service) could block; treat it as unknown.
      Object mono = callThroughInterfaces(provider, "resolveCredentials");
      if (mono == null || !isScalar(mono.getClass())) {
        return null;
      }
      try {
        credentials = ((Callable<?>) mono).call();
      } catch (Throwable t) {
        return null;
      }
    }
    return credentials;
  }

  private static boolean isScalar(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.getName().equals("reactor.core.Fuseable$ScalarCallable")) {
          return Callable.class.isAssignableFrom(type);
        }
      }
    }
    return false;
  }

  /** Calls {@code name} as declared by a public interface of {@code target} (lambdas included). */
  private static Object callThroughInterfaces(Object target, String name) {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        try {
          return i.getMethod(name).invoke(target);
        } catch (NoSuchMethodException e) {
          // try the next one
        } catch (Throwable t) {
          return null;
        }
      }
    }
    return null;
  }

  private static Object call(Object target, String name) {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Method m = c.getDeclaredMethod(name);
        m.setAccessible(true);
        return m.invoke(target);
      } catch (NoSuchMethodException e) {
        // look further up
      } catch (Throwable t) {
        return null;
      }
    }
    return null;
  }
}
