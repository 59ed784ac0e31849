package io.redisl1.metrics;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which client libraries the agent instrumented, and from which class loader. Recorded as their
 * classes are rewritten (a map look-up, no I/O while a class is being defined); the versions are
 * read from the jars' Maven metadata only when asked, on the metrics thread.
 */
public final class ClientVersions {
  private static final ConcurrentMap<String, WeakReference<ClassLoader>> LOADERS = new ConcurrentHashMap<>();

  private ClientVersions() {}

  /** Notes the class loader of an instrumented client class, by the class's name. */
  public static void instrumented(String typeName, ClassLoader loader) {
    String client = clientOf(typeName);
    if (client != null && loader != null && !LOADERS.containsKey(client)) {
      LOADERS.putIfAbsent(client, new WeakReference<>(loader));
    }
  }

  /** Client name to version ("unknown" when its jar carries no Maven metadata). */
  public static Map<String, String> versions() {
    Map<String, String> versions = new TreeMap<>();
    LOADERS.forEach((client, ref) -> {
      ClassLoader loader = ref.get();
      if (loader != null) {
        versions.put(client, versionOf(client, loader));
      }
    });
    return versions;
  }

  /** The first class loader an instrumented client came from, or null: where the app's own libraries live. */
  public static ClassLoader anyClientLoader() {
    for (WeakReference<ClassLoader> ref : LOADERS.values()) {
      ClassLoader loader = ref.get();
      if (loader != null) {
        return loader;
      }
    }
    return null;
  }

  private static String clientOf(String typeName) {
    if (typeName.startsWith("redis.clients.jedis.")) {
      return "jedis";
    }
    if (typeName.startsWith("io.lettuce.core.")) {
      return "lettuce";
    }
    return null;
  }

  private static String versionOf(String client, ClassLoader loader) {
    String pom = client.equals("jedis")
        ? "META-INF/maven/redis.clients/jedis/pom.properties"
        : "META-INF/maven/io.lettuce/lettuce-core/pom.properties";
    try (InputStream in = loader.getResourceAsStream(pom)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null) {
          return v;
        }
      }
    } catch (Exception | LinkageError ignored) {
      // an unreadable jar says nothing about its version
    }
    return "unknown";
  }
}
