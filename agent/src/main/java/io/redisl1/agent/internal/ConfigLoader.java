package io.redisl1.agent.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * Reads the agent's YAML file into setting values. Works on the node tree rather than binding to
 * objects so that every complaint can name the line and key it is about. Nested mappings read as
 * dotted names: {@code metrics: {port: 9464}} is {@code metrics.port}.
 */
final class ConfigLoader {
  private static final Set<String> RULE_KEYS = Set.of("prefix", "ttl", "cache", "cache-nil");

  private final Path file;
  /** Setting to value, in the order found. */
  private final Map<Setting<?>, Object> found = new LinkedHashMap<>();

  private ConfigLoader(Path file) {
    this.file = file;
  }

  /** The file alone over the defaults: what the file says, without environment or properties. */
  static AgentConfig load(Path file) throws ConfigException {
    return new ConfigResolver(new Properties(), Map.of()).resolve(ConfigResolver.read(file), file);
  }

  /** The settings {@code content} (the file's bytes) gives, parsed and checked. */
  static Map<Setting<?>, Object> read(Path file, byte[] content) throws ConfigException {
    ConfigLoader loader = new ConfigLoader(file);
    loader.readAll(content);
    return loader.found;
  }

  private void readAll(byte[] content) throws ConfigException {
    Node root;
    try (Reader reader = new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8)) {
      root = new Yaml(new LoaderOptions()).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(file, line, null, "not valid YAML: " + e.getProblem());
    } catch (YAMLException | java.io.IOException e) {
      throw new ConfigException(file, 0, null, "not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      throw new ConfigException(file, 0, null, "is empty; expected a mapping with 'rules:'");
    }
    settings(mapping(root, null), "");
  }

  private void settings(MappingNode node, String parent) throws ConfigException {
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : node.getValue()) {
      String key = keyOf(tuple);
      String name = parent + key;
      Node value = tuple.getValueNode();
      if (!seen.add(key)) {
        throw problem(tuple.getKeyNode(), name, "given twice; which one was meant?");
      }
      Setting<?> setting = Settings.named(name);
      if (Settings.readElsewhere(name)) {
        continue;
      }
      if (setting == null && value instanceof MappingNode && (knownUnder(name + ".") || Settings.readElsewhere(name + "."))) {
        settings((MappingNode) value, name + ".");
        continue;
      }
      if (setting == null || !setting.inFile) {
        throw problem(tuple.getKeyNode(), name, "unknown key; expected one of " + fileKeys());
      }
      if (setting == Settings.RULES && value instanceof SequenceNode) {
        found.put(setting, rules((SequenceNode) value));
        continue;
      }
      String text = text(value, name);
      try {
        found.put(setting, setting.parse(text));
      } catch (Setting.Invalid e) {
        throw problem(value, name, e.getMessage());
      }
    }
  }

  private static boolean knownUnder(String prefix) {
    for (Setting<?> setting : Settings.ALL) {
      if (setting.name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> fileKeys() {
    Set<String> names = new TreeSet<>();
    for (Setting<?> setting : Settings.ALL) {
      if (setting.inFile) {
        names.add(setting.name);
      }
    }
    return names;
  }

  private List<RuleSpec> rules(SequenceNode node) throws ConfigException {
    List<RuleSpec> rules = new ArrayList<>();
    Set<String> prefixes = new HashSet<>();
    for (Node item : node.getValue()) {
      MappingNode rule = mapping(item, "rules");
      String prefix = null;
      Duration ttl = null;
      boolean cache = true;
      boolean cacheNil = false;
      Set<String> seen = new HashSet<>();
      for (NodeTuple tuple : rule.getValue()) {
        String key = keyOf(tuple);
        Node value = tuple.getValueNode();
        if (!RULE_KEYS.contains(key)) {
          throw problem(tuple.getKeyNode(), key, "unknown key; expected one of " + new TreeSet<>(RULE_KEYS));
        }
        if (!seen.add(key)) {
          throw problem(tuple.getKeyNode(), key, "given twice; which one was meant?");
        }
        try {
          switch (key) {
            case "prefix":
              prefix = text(value, key);
              break;
            case "ttl":
              ttl = RuleSpec.ttl(text(value, key));
              break;
            case "cache":
              cache = Setting.parseBool(text(value, key));
              break;
            default:
              cacheNil = Setting.parseBool(text(value, key));
          }
        } catch (Setting.Invalid e) {
          throw problem(value, key, e.getMessage());
        }
      }
      if (prefix == null) {
        throw problem(item, "prefix", "every rule needs a prefix (\"\" matches every key)");
      }
      if (!prefixes.add(prefix)) {
        throw problem(item, "prefix", "'" + prefix + "' has more than one rule");
      }
      rules.add(new RuleSpec(prefix, ttl, cache, cacheNil));
    }
    return rules;
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

  private String text(Node node, String key) throws ConfigException {
    if (!(node instanceof ScalarNode)) {
      throw problem(node, key, key.equals("rules") ? "expected a list of rules" : "expected a single value");
    }
    return ((ScalarNode) node).getValue();
  }

  private ConfigException problem(Node node, String key, String what) {
    return new ConfigException(file, node.getStartMark().getLine() + 1, key, what);
  }
}
