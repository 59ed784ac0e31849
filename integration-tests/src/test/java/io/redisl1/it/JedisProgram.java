package io.redisl1.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.redisl1.testsupport.RespClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Small Jedis programs for the forked-JVM tests whose subject is the JVM itself (attach, class
 * loading, another agent, unsupported versions, cluster, a password-protected server); what the
 * agent promises an application is proven by the client contract (io.redisl1.it.contract). Each
 * prints {@code name=value} lines; {@code gets@...} values are the server's own count of GETs
 * (INFO commandstats), read through a raw socket the agent does not touch.
 */
public final class JedisProgram {
  private final RespClient server;
  private final String host;
  private final int port;

  private JedisProgram(String host, int port) {
    this.host = host;
    this.port = port;
    this.server = new RespClient(host, port);
  }

  public static void main(String[] args) throws Exception {
    JedisProgram s = new JedisProgram(args[1], Integer.parseInt(args[2]));
    if (args[0].equals("noauth")) {
      s.server.call("AUTH", NoAuthTest.PASSWORD);
    }
    s.server.flushAll();
    s.server.resetStats();
    switch (args[0]) {
      case "hits" -> s.hits();
      case "writes" -> s.writes();
      case "plain" -> s.plain();
      case "caffeine" -> s.caffeine();
      case "cluster" -> s.cluster();
      case "lateAttach" -> s.lateAttach(args[3]);
      case "noauth" -> s.noauth();
      default -> throw new IllegalArgumentException(args[0]);
    }
    s.server.close();
  }

  private void print(String name, Object value) {
    System.out.println(name + "=" + value);
  }

  private void printGets(String name) {
    print("gets@" + name, server.commandCalls("get"));
  }

  /** The same hot key read many times through each Jedis entry point. */
  private void hits() {
    server.call("SET", "user:1", "alice");
    try (UnifiedJedis pooled = pooled(DefaultJedisClientConfig.builder().build())) {
      print("pooled.first", pooled.get("user:1"));
      printGets("pooledMiss");
      print("pooled.rest", repeat(100, () -> pooled.get("user:1")));
      printGets("pooledHits");
    }
    try (JedisPool pool = new JedisPool(host, port)) {
      for (int i = 0; i < 50; i++) {
        try (Jedis jedis = pool.getResource()) {
          if (!"alice".equals(jedis.get("user:1"))) {
            print("pool.wrong", i);
          }
        }
      }
      printGets("poolHits");
    }
    try (Jedis jedis = new Jedis(host, port)) {
      jedis.ping(); // a plain Jedis connects lazily; only a connected one knows its scope
      print("jedis.rest", repeat(100, () -> jedis.get("user:1")));
      printGets("jedisHits");
    }
  }


  /** Every kind of write through the client is visible to the very next GET. */
  private void writes() {
    try (Jedis jedis = new Jedis(host, port)) {
      List<String> stale = new ArrayList<>();
      check(jedis, stale, "set", "user:w", j -> j.set("user:w", "v2"), "v2");
      check(jedis, stale, "setex", "user:w", j -> j.setex("user:w", 100, "v3"), "v3");
      check(jedis, stale, "append", "user:w", j -> j.append("user:w", "+"), "v3+");
      check(jedis, stale, "setrange", "user:w", j -> j.setrange("user:w", 0, "V"), "V3+");
      check(jedis, stale, "getset", "user:w", j -> j.getSet("user:w", "v4"), "v4");
      check(jedis, stale, "del", "user:w", j -> j.del("user:w"), null);
      check(jedis, stale, "incr", "user:n", j -> j.incr("user:n"), "2");
      check(jedis, stale, "incrby", "user:n", j -> j.incrBy("user:n", 10), "12");
      check(jedis, stale, "decr", "user:n", j -> j.decr("user:n"), "11");
      check(jedis, stale, "incrbyfloat", "user:n", j -> j.incrByFloat("user:n", 0.5), "11.5");
      check(jedis, stale, "mset", "user:m", j -> j.mset("user:x", "1", "user:m", "mm"), "mm");
      check(jedis, stale, "unlink", "user:m", j -> j.unlink("user:m"), null);
      check(jedis, stale, "getdel", "user:g", j -> j.getDel("user:g"), null);
      check(jedis, stale, "rename", "user:to", j -> j.rename("user:from", "user:to"), "from");
      check(jedis, stale, "rename-source", "user:from", j -> j.rename("user:from", "user:to"), null);
      check(jedis, stale, "expire", "user:e", j -> j.pexpire("user:e", 1), null);
      check(jedis, stale, "copy", "user:c2", j -> j.copy("user:c1", "user:c2", true), "c1");
      check(jedis, stale, "move", "user:mv", j -> j.move("user:mv", 3), null);
      check(jedis, stale, "restore", "user:r", j -> j.restore("user:r", 0, j.dump("user:dump"),
          redis.clients.jedis.params.RestoreParams.restoreParams().replace()), "dumped");
      check(jedis, stale, "getex", "user:gx", j -> j.sendCommand(() -> "GETEX".getBytes(UTF_8), "user:gx", "PX", "1"), null);
      check(jedis, stale, "swapdb", "user:sw", j -> j.swapDB(0, 4), "from-db4");
      check(jedis, stale, "raw-set", "user:raw", j -> j.sendCommand(Protocol.Command.SET, "user:raw", "r2"), "r2");
      print("stale", stale.isEmpty() ? "none" : String.join(",", stale));
    }
  }

  private void check(Jedis jedis, List<String> stale, String name, String key, Consumer<Jedis> write, String expected) {
    switch (name) {
      case "incr" -> server.call("SET", key, "1");
      case "getdel" -> server.call("SET", key, "gone");
      case "rename" -> {
        server.call("SET", "user:from", "from");
        server.call("SET", "user:to", "to");
      }
      case "rename-source" -> server.call("SET", "user:from", "again");
      case "expire" -> server.call("SET", key, "short");
      case "copy" -> {
        server.call("SET", "user:c1", "c1");
        server.call("SET", "user:c2", "c2");
      }
      case "move" -> server.call("SET", key, "moving");
      case "raw-set" -> server.call("SET", key, "r1");
      case "restore" -> {
        server.call("SET", key, "before-restore");
        server.call("SET", "user:dump", "dumped");
      }
      case "getex" -> server.call("SET", key, "expiring");
      case "swapdb" -> {
        server.call("SET", key, "from-db0");
        server.select(4);
        server.call("SET", key, "from-db4");
        server.select(0);
      }
      case "mset", "set" -> server.call("SET", key, "v1");
      default -> { }
    }
    jedis.get(key); // fill the L1 with the value before the write
    jedis.get(key);
    write.accept(jedis);
    if ("expire".equals(name) || "getex".equals(name)) {
      sleep(20);
    }
    String after = jedis.get(key);
    if (expected == null ? after != null : !expected.equals(after)) {
      stale.add(name + ":" + after);
    }
  }










  /** The application uses its own Caffeine 2.x while the agent's relocated 3.x serves the L1. */
  private void caffeine() throws Exception {
    com.github.benmanes.caffeine.cache.Cache<String, String> own =
        com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10).build();
    own.put("k", "app-value");
    print("app.caffeine", own.getIfPresent("k"));
    print("app.caffeine.jar", com.github.benmanes.caffeine.cache.Caffeine.class.getProtectionDomain().getCodeSource().getLocation());
    print("agent.caffeine.loader", Class.forName("io.redisl1.shaded.caffeine.cache.Caffeine", false, null).getClassLoader());
    hits();
  }

  /** A JedisCluster's connections stay off the L1; its writes still invalidate for everyone else. */
  private void cluster() {
    server.call("SET", "user:c", "v1");
    try (redis.clients.jedis.JedisCluster cluster = new redis.clients.jedis.JedisCluster(new HostAndPort(host, port));
        Jedis standalone = new Jedis(host, port)) {
      print("cluster", repeat(10, () -> cluster.get("user:c")));
      printGets("cluster");
      standalone.ping();
      print("standalone", repeat(10, () -> standalone.get("user:c")));
      printGets("standalone");
      cluster.set("user:c", "v2");
      print("standaloneAfterClusterWrite", standalone.get("user:c"));
    }
  }



  /** Against a server that wants a password, GETs without one fail with NOAUTH every time. */
  private void noauth() {
    server.call("SET", "user:na", "secret");
    try (Jedis jedis = new Jedis(host, port)) {
      for (int i = 0; i < 2; i++) {
        try {
          print("get" + i, jedis.get("user:na"));
        } catch (RuntimeException e) {
          print("get" + i, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
    }
  }


  /**
   * The agent attached to a running JVM whose Jedis is already loaded: it must say so and leave
   * the loaded classes alone, and the application must carry on.
   */
  private void lateAttach(String agentJarAndConfig) throws Exception {
    server.call("SET", "user:late", "v");
    try (Jedis jedis = new Jedis(host, port)) {
      print("before", jedis.get("user:late"));
      String[] parts = agentJarAndConfig.split("=", 2);
      System.setProperty("redisl1.config", parts[1]);
      com.sun.tools.attach.VirtualMachine vm =
          com.sun.tools.attach.VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
      try {
        vm.loadAgent(parts[0]);
      } finally {
        vm.detach();
      }
      print("after", repeat(5, () -> jedis.get("user:late")));
      printGets("after");
    }
  }

  /** Only what every Jedis since 3.x has, to run on unsupported versions too. */
  private void plain() {
    try (Jedis jedis = new Jedis(host, port)) {
      jedis.set("user:p", "p");
      print("values", repeat(10, () -> jedis.get("user:p")));
      printGets("after");
    }
  }

  /** JedisPooled up to Jedis 7, RedisClient (its successor, already in 7.x) from Jedis 8 on. */
  private UnifiedJedis pooled(JedisClientConfig config) {
    try {
      Class.forName("redis.clients.jedis.JedisPooled");
      return UpToJedis7.pooled(new HostAndPort(host, port), config);
    } catch (ClassNotFoundException jedis8) {
      return (UnifiedJedis) RedisClient.builder().hostAndPort(host, port).clientConfig(config).build();
    }
  }

  /** Kept apart so that Jedis 8, which has no JedisPooled, can load the scenarios. */
  private static final class UpToJedis7 {
    static UnifiedJedis pooled(HostAndPort address, JedisClientConfig config) {
      return new JedisPooled(address, config);
    }
  }

  private static String repeat(int n, java.util.function.Supplier<String> read) {
    String first = read.get();
    for (int i = 1; i < n; i++) {
      String next = read.get();
      if (first == null ? next != null : !first.equals(next)) {
        return "inconsistent:" + first + "/" + next;
      }
    }
    return String.valueOf(first);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
