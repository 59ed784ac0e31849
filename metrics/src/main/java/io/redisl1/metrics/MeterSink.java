package io.redisl1.metrics;

/**
 * A registry figures are registered in and removed from: the agent's own (relocated) Micrometer,
 * or the application's, reached by reflection ({@link AppGlobalRegistry}).
 */
interface MeterSink {
  /** Registers {@code figure}; returns the meter, for {@link #remove}. */
  Object register(Figure figure) throws ReflectiveOperationException;

  /** Removes a meter {@link #register} returned. */
  void remove(Object meter) throws ReflectiveOperationException;
}
