package io.redisl1.agent.internal;

import io.redisl1.metrics.MetricsSettings;
import io.redisl1.store.KeyRule;
import io.redisl1.store.KeyRules;
import io.redisl1.store.tracking.InvalidationSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the agent's YAML file. Works on the node tree rather than binding to objects so that every
 * complaint can name the line and key it is about.
 */
final class ConfigLoader {
  private static final Set<String> TOP_KEYS =
      Set.of("enabled", "max-memory", "max-value-size", "default-ttl", "ttl-margin", "rules", "metrics",
          "invalidation", "invalidation-required", "canary-interval");
  private static final Set<String> RULE_KEYS = Set.of("prefix", "ttl", "cache", "cache-nil");

  private final Path file;

  private ConfigLoader(Path file) {
    this.file = file;
  }

  static AgentConfig load(Path file) throws ConfigException {
    return new ConfigLoader(file).read();
  }

  private AgentConfig read() throws ConfigException {
    Node root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      root = new Yaml(new LoaderOptions()).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(file, line, null, "not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(file, 0, null, "not valid YAML: " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException(file, 0, null, "cannot be read: " + e);
    }
    if (root == null) {
      throw new ConfigException(file, 0, null, "is empty; expected a mapping with 'rules:'");
    }
    MappingNode top = mapping(root, null);

    boolean enabled = true;
    long maxMemory = AgentConfig.DEFAULT_MAX_MEMORY;
    long maxValue = AgentConfig.DEFAULT_MAX_VALUE_SIZE;
    Duration defaultTtl = AgentConfig.DEFAULT_TTL;
    Duration ttlMargin = AgentConfig.DEFAULT_TTL_MARGIN;
    SequenceNode rules = null;
    InvalidationSettings.Mode invalidation = InvalidationSettings.Mode.TRACKING;
    boolean invalidationRequired = false;
    Duration canaryInterval = InvalidationSettings.DEFAULT_CANARY_INTERVAL;
    MetricsSettings.Builder metrics = new MetricsSettings.Builder();
    for (NodeTuple tuple : entries(top, TOP_KEYS)) {
      String key = keyOf(tuple);
      Node value = tuple.getValueNode();
      switch (key) {
        // How writes from outside this JVM reach the L1 (see InvalidationSettings).
        case "invalidation":
          invalidation = invalidationMode(value, key);
          break;
        case "invalidation-required":
          invalidationRequired = bool(value, key);
          break;
        case "canary-interval":
          canaryInterval = duration(value, key);
          if (canaryInterval.toMillis() < 10) {
            throw problem(value, key, "must be at least 10ms, got '" + text(value, key) + "'");
          }
          break;
        case "enabled":
          enabled = bool(value, key);
          break;
        case "max-memory":
          maxMemory = size(value, key);
          break;
        case "max-value-size":
          maxValue = size(value, key);
          if (maxValue > Integer.MAX_VALUE) {
            throw problem(value, key, "must be below 2GB, got '" + text(value, key) + "'");
          }
          break;
        case "default-ttl":
          defaultTtl = duration(value, key);
          break;
        case "ttl-margin":
          ttlMargin = margin(value, key);
          break;
        case "metrics":
          metrics(value, metrics);
          break;
        default:
          rules = sequence(value, key);
      }
    }
    List<KeyRule> parsed = rules == null ? List.of() : rules(rules, defaultTtl);
    return new AgentConfig(
        enabled, maxMemory, (int) maxValue, defaultTtl, ttlMargin, KeyRules.of(parsed), metrics,
        InvalidationSettings.of(invalidation, invalidationRequired, canaryInterval));
  }

  private InvalidationSettings.Mode invalidationMode(Node node, String key) throws ConfigException {
    String value = text(node, key);
    if (value.equals("tracking") || value.equals("ttl")) {
      return value.equals("ttl") ? InvalidationSettings.Mode.TTL : InvalidationSettings.Mode.TRACKING;
    }
    throw problem(node, key, "expected tracking or ttl, got '" + value + "'");
  }

  /** The {@code metrics:} mapping; {@link MetricsSettings} parses each value. */
  private void metrics(Node node, MetricsSettings.Builder metrics) throws ConfigException {
    if (!(node instanceof MappingNode)) {
      throw problem(node, "metrics", "expected a mapping like {port: 9477}");
    }
    for (NodeTuple tuple : entries((MappingNode) node, new HashSet<>(MetricsSettings.KEYS))) {
      String key = keyOf(tuple);
      try {
        metrics.set(key, text(tuple.getValueNode(), "metrics." + key));
      } catch (IllegalArgumentException e) {
        throw problem(tuple.getValueNode(), "metrics." + key, e.getMessage());
      }
    }
  }

  private List<KeyRule> rules(SequenceNode node, Duration defaultTtl) throws ConfigException {
    List<KeyRule> rules = new ArrayList<>();
    Set<String> prefixes = new HashSet<>();
    for (Node item : node.getValue()) {
      MappingNode rule = mapping(item, "rules");
      String prefix = null;
      Duration ttl = defaultTtl;
      boolean cache = true;
      boolean cacheNil = false;
      for (NodeTuple tuple : entries(rule, RULE_KEYS)) {
        String key = keyOf(tuple);
        Node value = tuple.getValueNode();
        switch (key) {
          case "prefix":
            prefix = text(value, key);
            break;
          case "ttl":
            ttl = duration(value, key);
            break;
          case "cache":
            cache = bool(value, key);
            break;
          default:
            cacheNil = bool(value, key);
        }
      }
      if (prefix == null) {
        throw problem(item, "prefix", "every rule needs a prefix (\"\" matches every key)");
      }
      if (!prefixes.add(prefix)) {
        throw problem(item, "prefix", "'" + prefix + "' has more than one rule");
      }
      rules.add(cache ? KeyRule.cached(prefix, ttl, cacheNil) : KeyRule.bypassed(prefix));
    }
    return rules;
  }

  /** The mapping's entries, once each key is known to be allowed and given only once. */
  private List<NodeTuple> entries(MappingNode node, Set<String> allowed) throws ConfigException {
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : node.getValue()) {
      String key = keyOf(tuple);
      if (!allowed.contains(key)) {
        throw problem(tuple.getKeyNode(), key, "unknown key; expected one of " + new TreeSet<>(allowed));
      }
      if (!seen.add(key)) {
        throw problem(tuple.getKeyNode(), key, "given twice; which one was meant?");
      }
    }
    return node.getValue();
  }

  private String keyOf(NodeTuple tuple) throws ConfigException {
    Node key = tuple.getKeyNode();
    if (!(key instanceof ScalarNode)) {
      throw problem(key, null, "expected a plain key");
    }
    return ((ScalarNode) key).getValue();
  }

  private MappingNode mapping(Node node, String key) throws ConfigException {
    if (!(node instanceof MappingNode)) {
      throw problem(node, key, key == null ? "expected a mapping of settings" : "expected a mapping like {prefix: \"user:\", ttl: 60s}");
    }
    return (MappingNode) node;
  }

  private SequenceNode sequence(Node node, String key) throws ConfigException {
    if (!(node instanceof SequenceNode)) {
      throw problem(node, key, "expected a list of rules");
    }
    return (SequenceNode) node;
  }

  private String text(Node node, String key) throws ConfigException {
    if (!(node instanceof ScalarNode)) {
      throw problem(node, key, "expected a single value");
    }
    return ((ScalarNode) node).getValue();
  }

  private boolean bool(Node node, String key) throws ConfigException {
    String value = text(node, key);
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw problem(node, key, "expected true or false, got '" + value + "'");
  }

  private long size(Node node, String key) throws ConfigException {
    String value = text(node, key);
    long bytes = Sizes.parse(value);
    if (bytes <= 0) {
      throw problem(node, key, "expected a positive size like 64MB, 512KB or 1GB, got '" + value + "'");
    }
    return bytes;
  }

  private Duration duration(Node node, String key) throws ConfigException {
    String value = text(node, key);
    Duration d = Durations.parse(value);
    if (d == null || d.isZero()) {
      throw problem(node, key, "expected a positive duration like 500ms, 30s, 5m or 6h, got '" + value + "'");
    }
    return d;
  }

  /** Zero is allowed: entries then end exactly when Redis's PTTL says the key goes. */
  private Duration margin(Node node, String key) throws ConfigException {
    String value = text(node, key);
    Duration d = Durations.parse(value);
    if (d == null) {
      throw problem(node, key, "expected a duration like 50ms or 1s (0ms for none), got '" + value + "'");
    }
    return d;
  }

  private ConfigException problem(Node node, String key, String what) {
    return new ConfigException(file, node.getStartMark().getLine() + 1, key, what);
  }
}
