package io.redisl1.store.command;

import io.redisl1.store.command.CommandEffect.Kind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns table rows into rules. Flags decide by default: {@code write} with fixed key positions
 * writes those keys, {@code readonly} is NONE, anything else is FLUSH_DB until a hand-written
 * override below says otherwise. So a command Redis adds or reflags is never silently read-only.
 */
final class Rules {
  /** Admin and connection commands that neither touch keys nor break request/reply. */
  private static final String HARMLESS =
      "asking bgrewriteaof bgsave save lastsave echo ping time role info quit readonly readwrite"
          + " wait watch unwatch publish spublish pfselftest host: post command"
          // ACL changes rights, not data; a cached value the user may no longer read is not stale.
          + " acl|cat acl|deluser acl|dryrun acl|genpass acl|getuser acl|help acl|list acl|load"
          + " acl|log acl|save acl|setuser acl|users acl|whoami"
          + " client|caching client|getname client|getredir client|help client|id client|info"
          + " client|kill client|list client|no-evict client|pause client|setname"
          + " client|trackinginfo client|unblock client|unpause"
          // Redis 7.2, newer than the table: Jedis 5 and Lettuce 6.3 send SETINFO on every
          // connect, and treating it as unknown would flush the L1 for each new connection.
          + " client|setinfo client|no-touch"
          // Slot bookkeeping only; keys stay where they are.
          + " cluster|addslots cluster|addslotsrange cluster|bumpepoch cluster|count-failure-reports"
          + " cluster|countkeysinslot cluster|delslots cluster|delslotsrange cluster|failover"
          + " cluster|flushslots cluster|forget cluster|getkeysinslot cluster|help cluster|info"
          + " cluster|keyslot cluster|links cluster|meet cluster|myid cluster|nodes cluster|replicas"
          + " cluster|saveconfig cluster|set-config-epoch cluster|setslot cluster|shards"
          + " cluster|slaves cluster|slots"
          + " config|get config|help config|resetstat config|rewrite config|set"
          // FUNCTION writes the function library, never keys (FCALL is what writes keys).
          + " function|delete function|dump function|flush function|help function|kill"
          + " function|list function|load function|restore function|stats"
          + " latency|doctor latency|graph latency|help latency|histogram latency|history"
          + " latency|latest latency|reset"
          + " memory|doctor memory|help memory|malloc-stats memory|purge memory|stats"
          + " module|help module|list object|help xgroup|help xinfo|help"
          + " pubsub|channels pubsub|help pubsub|numpat pubsub|numsub pubsub|shardchannels"
          + " pubsub|shardnumsub"
          // SCRIPT FLUSH empties the script cache, not the keyspace.
          + " script|exists script|flush script|help script|kill script|load"
          + " slowlog|get slowlog|help slowlog|len slowlog|reset";

  private static final String LEAVES_REQUEST_REPLY =
      "subscribe psubscribe ssubscribe unsubscribe punsubscribe sunsubscribe monitor"
          // REPLCONF ACK gets no reply at all.
          + " sync psync replconf"
          // The node turns replica: its dataset gets replaced behind our back.
          + " replicaof slaveof failover cluster|replicate";

  private static final String FLUSH_ALL =
      "flushall"
          // The target may be this very server in another db; without COPY it deletes keys here.
          + " migrate"
          // A restart may load an older dataset; a replica's CLUSTER RESET drops its data.
          + " shutdown cluster|reset"
          // Module code runs on load and unload and may call anything.
          + " module|load module|loadex module|unload";

  /** Internal to MIGRATE between nodes; never sent by clients, so there is no reason to trust it. */
  private static final String FLUSH_DB = "flushdb restore-asking";

  private Rules() {}

  /** Rules for every row plus the overrides of commands newer than the table. */
  static Map<String, Rule> build(List<CommandTable.Row> rows, Rule subcommand) {
    Map<String, Rule> overrides = overrides();
    Set<String> containers = new HashSet<>();
    for (CommandTable.Row row : rows) {
      int bar = row.name.indexOf('|');
      if (bar > 0) {
        containers.add(row.name.substring(0, bar));
      }
    }
    Map<String, Rule> rules = new HashMap<>(overrides);
    for (CommandTable.Row row : rows) {
      Rule rule = overrides.get(row.name);
      if (rule == null) {
        rule = containers.contains(row.name) ? subcommand : fromFlags(row);
      }
      rules.put(row.name, rule);
    }
    return rules;
  }

  static Rule fromFlags(CommandTable.Row row) {
    boolean write = row.flags.contains("write");
    // PFCOUNT is flagged readonly yet may_replicate: it rewrites the cardinality cached inside the
    // HyperLogLog string, so GET returns other bytes afterwards.
    boolean mutatingRead = row.flags.contains("readonly") && row.flags.contains("may_replicate");
    if ((write || mutatingRead) && row.first > 0 && !row.flags.contains("movablekeys")) {
      return new FixedKeys(row.arity, row.first, row.last, row.step);
    }
    if (row.flags.contains("readonly") && !mutatingRead) {
      return constant(Kind.NONE);
    }
    return constant(Kind.FLUSH_DB);
  }

  private static Map<String, Rule> overrides() {
    Map<String, Rule> o = new HashMap<>();
    putAll(o, HARMLESS, constant(Kind.NONE));
    putAll(o, LEAVES_REQUEST_REPLY, constant(Kind.LEAVES_REQUEST_REPLY));
    putAll(o, FLUSH_ALL, constant(Kind.FLUSH_ALL));
    putAll(o, FLUSH_DB, constant(Kind.FLUSH_DB));
    // Scripts and functions may SELECT another db and write keys they never declared, unless the
    // operator vouches for them (scripts: declared-keys); see Scripts.
    o.put("eval", Scripts::effect);
    o.put("evalsha", Scripts::effect);
    o.put("fcall", Scripts::effect);
    o.put("get", argv -> argv.length == 2 ? CommandEffect.read(argv[1]) : none());
    o.put("multi", constant(Kind.MULTI));
    o.put("exec", constant(Kind.EXEC));
    o.put("discard", constant(Kind.DISCARD));
    o.put("reset", constant(Kind.RESET));
    o.put("select", SessionCommands::select);
    o.put("auth", SessionCommands::auth);
    o.put("hello", SessionCommands::hello);
    o.put("client|reply", argv -> SessionCommands.unlessLastArg(argv, "on"));
    o.put("client|tracking", argv -> SessionCommands.unlessLastArg(argv, "off"));
    // The Lua debugger turns EVAL into an interactive session.
    o.put("script|debug", argv -> SessionCommands.unlessLastArg(argv, "no"));
    o.put("debug", SessionCommands::debug);
    o.put("swapdb", KeyedCommands::swapDb);
    o.put("move", KeyedCommands::move);
    o.put("copy", KeyedCommands::copy);
    o.put("sort", KeyedCommands::sort);
    o.put("georadius", argv -> KeyedCommands.geoRadius(argv, 6));
    o.put("georadiusbymember", argv -> KeyedCommands.geoRadius(argv, 5));
    o.put("zunionstore", KeyedCommands::storeFirst);
    o.put("zinterstore", KeyedCommands::storeFirst);
    o.put("zdiffstore", KeyedCommands::storeFirst);
    o.put("lmpop", argv -> KeyedCommands.numKeys(argv, 1));
    o.put("zmpop", argv -> KeyedCommands.numKeys(argv, 1));
    o.put("blmpop", argv -> KeyedCommands.numKeys(argv, 2));
    o.put("bzmpop", argv -> KeyedCommands.numKeys(argv, 2));
    o.put("xreadgroup", KeyedCommands::xreadgroup);
    return o;
  }

  private static void putAll(Map<String, Rule> rules, String names, Rule rule) {
    for (String name : names.split(" ")) {
      rules.put(name, rule);
    }
  }

  static Rule constant(Kind kind) {
    CommandEffect effect = CommandEffect.of(kind);
    return argv -> effect;
  }

  static CommandEffect none() {
    return CommandEffect.of(Kind.NONE);
  }

  static CommandEffect flushDb() {
    return CommandEffect.of(Kind.FLUSH_DB);
  }

  /** Keys at first, first+step, ... last, as Redis's own getKeysUsingCommandTable finds them. */
  static final class FixedKeys implements Rule {
    private final int arity;
    private final int first;
    private final int last;
    private final int step;

    FixedKeys(int arity, int first, int last, int step) {
      this.arity = arity;
      this.first = first;
      this.last = last;
      this.step = step;
    }

    @Override
    public CommandEffect apply(byte[][] argv) {
      int argc = argv.length;
      int end = last < 0 ? argc + last : last;
      // A wrong arity is refused by the server, but we cannot be sure which keys were meant.
      if ((arity > 0 ? argc != arity : argc < -arity) || end < first || end >= argc || step < 1) {
        return flushDb();
      }
      byte[][] keys = new byte[(end - first) / step + 1][];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = argv[first + i * step];
      }
      return CommandEffect.write(keys);
    }
  }
}
