package io.redisl1.it.ttl;

import java.util.List;

/**
 * One client API as an application uses it, for {@link TtlClampScenarios}: plain GETs (which may
 * be answered from the L1), GETs in a pipeline and in MULTI (which never fill).
 */
interface TtlApp extends AutoCloseable {
  /** The app's GET: the value, null for nil; a Redis error is thrown as the client throws it. */
  String get(String key);

  /** GETs of {@code keys} in one pipeline (or held batch); returns their replies. */
  List<Object> pipelinedGets(String... keys);

  /** MULTI, GET {@code key}, EXEC; returns EXEC's reply. */
  List<Object> multiGet(String key);

  @Override
  void close();
}
