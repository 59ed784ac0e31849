package io.redisl1.metrics;

import java.util.function.ToDoubleFunction;

/**
 * One meter of the L1, described in JDK types only, so that the same list can be registered in
 * the agent's own (relocated) Micrometer and, by reflection, in the application's.
 */
final class Figure {
  enum Kind {
    COUNTER,
    GAUGE
  }

  final Kind kind;
  final String name;
  final String[] tags;
  final String baseUnit;
  final String description;
  final Object source;
  final ToDoubleFunction<Object> value;

  @SuppressWarnings("unchecked")
  private <T> Figure(Kind kind, String name, String[] tags, String baseUnit, String description, T source, ToDoubleFunction<T> value) {
    this.kind = kind;
    this.name = name;
    this.tags = tags;
    this.baseUnit = baseUnit;
    this.description = description;
    this.source = source;
    this.value = (ToDoubleFunction<Object>) value;
  }

  /** A monotonic count read from {@code source}. */
  static <T> Figure counter(String name, String[] tags, String unit, String description, T source, ToDoubleFunction<T> value) {
    return new Figure(Kind.COUNTER, name, tags, unit, description, source, value);
  }

  /** A value that goes up and down, read from {@code source}. */
  static <T> Figure gauge(String name, String[] tags, String unit, String description, T source, ToDoubleFunction<T> value) {
    return new Figure(Kind.GAUGE, name, tags, unit, description, source, value);
  }
}
