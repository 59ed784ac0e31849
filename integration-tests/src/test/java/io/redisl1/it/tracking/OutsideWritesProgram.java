package io.redisl1.it.tracking;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisl1.testsupport.RespClient;
import io.redisl1.testsupport.TlsRedis;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Writes from outside the JVM (a plain {@link RespClient}, which the agent does not instrument)
 * against GETs of the application's own Jedis or Lettuce connection, run under the agent by
 * {@link OutsideWritesTest}. Prints {@code name=value} lines; exits non-zero on a broken promise.
 *
 * <p>Args: scenario (latency, expire, flushall, acl, tls, reload), host, port, client (jedis, lettuce), then
 * per scenario: acl the admin password; tls the plain port and the trust store.
 */
public final class OutsideWritesProgram {
  private static final int ROUNDS = 300;
  /** Reads per round that must be hits before the next outside write. */
  private static final int HITS_PER_ROUND = 20;
  /** Far beyond any invalidation latency, far below the rule TTL (60 s): a miss means no channel. */
  private static final long GIVE_UP_NANOS = 5_000_000_000L;

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    String clientName = args[3];
    // "acl": the server's default user needs a password (args[4]); the app authenticates as
    // user "app" with password "app-pw", and so must the agent's invalidation channel.
    boolean acl = scenario.equals("acl");
    // "tls": the app reaches the server's TLS port (args[2]) trusting only the test's certificate
    // (trust store args[5]); the outside writer uses the plain port (args[4]).
    boolean tls = scenario.equals("tls");
    RedisURI.Builder uri = RedisURI.builder().withHost(host).withPort(port);
    if (acl) {
      uri.withAuthentication("app", "app-pw".toCharArray());
    }
    RedisClient lettuce = RedisClient.create(uri.withSsl(tls).build());
    if (tls) {
      lettuce.setOptions(ClientOptions.builder()
          .sslOptions(SslOptions.builder().jdkSslProvider().truststore(new File(args[5]), TlsRedis.TRUST_STORE_PASSWORD).build())
          .build());
    }
    try (RespClient outside = new RespClient(host, tls ? Integer.parseInt(args[4]) : port);
        Jedis jedis = tls
            ? new Jedis(new HostAndPort(host, port),
                DefaultJedisClientConfig.builder().ssl(true).sslSocketFactory(TlsRedis.trusting(Path.of(args[5]))).build())
            : new Jedis(host, port);
        StatefulRedisConnection<String, String> connection = lettuce.connect()) {
      if (acl) {
        outside.call("AUTH", args[4]);
        jedis.auth("app", "app-pw");
      }
      Function<String, String> get =
          clientName.equals("jedis") ? jedis::get : key -> connection.sync().get(key);
      outside.flushAll();
      switch (scenario) {
        case "latency":
        case "acl":
        case "tls":
          latency(outside, get);
          print("channel.users", channelUsers(outside));
          break;
        case "expire":
          expire(outside, get);
          break;
        case "flushall":
          flushAll(outside, get);
          break;
        case "reload":
          reload(outside, get);
          break;
        default:
          throw new IllegalArgumentException(scenario);
      }
    } finally {
      lettuce.shutdown();
    }
  }

  /** Every outside SET becomes visible to the app's GETs; how long each one took, from its ack. */
  private static void latency(RespClient outside, Function<String, String> get) {
    latency(outside, get, "user:lat");
  }

  private static void latency(RespClient outside, Function<String, String> get, String key) {
    outside.call("SET", key, "v0");
    awaitServedFromL1(outside, get, key, "v0");
    outside.resetStats();
    long[] micros = new long[ROUNDS];
    long appGets = 0;
    for (int i = 1; i <= ROUNDS; i++) {
      String value = "v" + i;
      outside.call("SET", key, value);
      long acked = System.nanoTime();
      long spins = 0;
      while (!value.equals(get.apply(key))) {
        spins++;
        if (System.nanoTime() - acked > GIVE_UP_NANOS) {
          fail("round " + i + ": " + value + " not visible after 5 s");
        }
      }
      micros[i - 1] = (System.nanoTime() - acked) / 1_000;
      appGets += spins + 1;
      for (int h = 0; h < HITS_PER_ROUND; h++) {
        check(value.equals(get.apply(key)), "round " + i + " read back");
        appGets++;
      }
    }
    long serverGets = outside.commandCalls("get");
    Arrays.sort(micros);
    print("rounds", ROUNDS);
    print("visible.p50.us", micros[ROUNDS / 2]);
    print("visible.p99.us", micros[(int) Math.ceil(ROUNDS * 0.99) - 1]);
    print("visible.max.us", micros[ROUNDS - 1]);
    print("app.gets", appGets);
    print("server.gets", serverGets);
  }

  /** PEXPIRE from outside: the L1 stops serving the key once Redis has dropped it. */
  private static void expire(RespClient outside, Function<String, String> get) throws InterruptedException {
    outside.call("SET", "user:exp", "v");
    awaitServedFromL1(outside, get, "user:exp", "v");
    outside.call("PEXPIRE", "user:exp", "300");
    long acked = System.nanoTime();
    check("v".equals(get.apply("user:exp")), "still there before it expires");
    while (get.apply("user:exp") != null) {
      if (System.nanoTime() - acked > GIVE_UP_NANOS) {
        fail("user:exp still served 5 s after PEXPIRE 300");
      }
      Thread.sleep(1);
    }
    print("expire.goneAfter.ms", (System.nanoTime() - acked) / 1_000_000);
    print("expire.existsOutside", outside.call("EXISTS", "user:exp"));

    // PERSIST from outside: a key that would have expired stays, and the app keeps reading it.
    outside.call("SET", "user:per", "p", "PX", "400");
    awaitServedFromL1(outside, get, "user:per", "p");
    outside.call("PERSIST", "user:per");
    Thread.sleep(700);
    print("persist.app", get.apply("user:per"));
    print("persist.outside", outside.call("GET", "user:per"));
  }

  /**
   * The channel tracks the cached prefixes only (Redis's BCAST table, read from INFO); a reloaded
   * file that caches {@code item:} too has the channel track it before any {@code item:} key is
   * served, so every outside write to one is seen at once.
   */
  private static void reload(RespClient outside, Function<String, String> get) throws Exception {
    outside.call("SET", "item:r", "v0");
    print("prefixes.before", trackedPrefixes(outside));
    Path config = Path.of(System.getProperty("redisl1.config"));
    Path next = config.resolveSibling(config.getFileName() + ".next");
    Files.writeString(next, Files.readString(config) + "  - prefix: \"item:\"\n    ttl: 60s\n");
    Files.move(next, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    long written = System.nanoTime();
    awaitServedFromL1(outside, get, "item:r", "v0");
    print("reload.servedAfter.ms", (System.nanoTime() - written) / 1_000_000);
    print("prefixes.after", trackedPrefixes(outside));
    latency(outside, get, "item:lat");
  }

  private static long trackedPrefixes(RespClient outside) {
    for (String line : ((String) outside.call("INFO", "stats")).split("\r?\n")) {
      if (line.startsWith("tracking_total_prefixes:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new IllegalStateException("no tracking_total_prefixes in INFO stats");
  }

  /** FLUSHALL from outside empties the L1 of that server. */
  private static void flushAll(RespClient outside, Function<String, String> get) {
    outside.call("SET", "user:f", "v");
    awaitServedFromL1(outside, get, "user:f", "v");
    outside.call("FLUSHALL");
    long acked = System.nanoTime();
    while (get.apply("user:f") != null) {
      if (System.nanoTime() - acked > GIVE_UP_NANOS) {
        fail("user:f still served 5 s after FLUSHALL");
      }
    }
    print("flushall.visible.us", (System.nanoTime() - acked) / 1_000);
  }

  /**
   * Reads until a GET is answered without reaching Redis: the endpoint's channel is confirmed and
   * the key is cached. Before that the endpoint serves nothing.
   */
  private static void awaitServedFromL1(RespClient outside, Function<String, String> get, String key, String expected) {
    long start = System.nanoTime();
    while (true) {
      check(Objects.equals(expected, get.apply(key)), "first read of " + key);
      long before = outside.commandCalls("get");
      check(Objects.equals(expected, get.apply(key)), "second read of " + key);
      if (outside.commandCalls("get") == before) {
        return;
      }
      if (System.nanoTime() - start > GIVE_UP_NANOS) {
        fail(key + " never served from the L1: is the invalidation channel up?");
      }
    }
  }

  private static String channelUsers(RespClient outside) {
    StringBuilder users = new StringBuilder();
    for (String line : ((String) outside.call("CLIENT", "LIST")).split("\n")) {
      if (line.contains("name=redisl1-invalidation")) {
        int at = line.indexOf(" user=") + 6;
        users.append(line, at, line.indexOf(' ', at)).append(' ');
      }
    }
    return users.toString().trim();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      fail(what);
    }
  }

  private static void fail(String what) {
    System.out.println("failed=" + what);
    System.out.flush();
    System.exit(3);
  }

  private static void print(String name, Object value) {
    System.out.println(name + "=" + value);
  }
}
