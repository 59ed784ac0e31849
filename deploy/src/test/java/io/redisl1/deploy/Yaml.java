package io.redisl1.deploy;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Navigation in parsed Kubernetes YAML (maps and lists) with messages that say where it broke. */
final class Yaml {
  private Yaml() {}

  static List<Map<String, Object>> parseAll(String text) {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new org.yaml.snakeyaml.Yaml().loadAll(text)) {
      if (doc != null) {
        docs.add(asMap(doc, "document"));
      }
    }
    return docs;
  }

  /** The value at {@code path} (map keys), failing with the path if any step is missing. */
  static Object at(Map<String, Object> node, String... path) {
    Object current = node;
    StringBuilder where = new StringBuilder();
    for (String key : path) {
      where.append('.').append(key);
      current = asMap(current, where.toString()).get(key);
      assertNotNull(current, "missing " + where);
    }
    return current;
  }

  static Map<String, Object> map(Map<String, Object> node, String... path) {
    return asMap(at(node, path), String.join(".", path));
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> node, String... path) {
    Object value = at(node, path);
    assertTrue(value instanceof List, String.join(".", path) + " is not a list: " + value);
    return (List<Map<String, Object>>) value;
  }

  /** The element of a list of named objects (containers, volumes, env...) called {@code name}. */
  static Map<String, Object> named(List<Map<String, Object>> items, String name) {
    return items.stream()
        .filter(item -> name.equals(item.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no entry named " + name + " in " + items));
  }

  static boolean hasNamed(List<Map<String, Object>> items, String name) {
    return items.stream().anyMatch(item -> name.equals(item.get("name")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object node, String where) {
    assertTrue(node instanceof Map, where + " is not a mapping: " + node);
    return (Map<String, Object>) node;
  }
}
