package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Runtime;
import java.net.Socket;
import net.bytebuddy.asm.Advice;

/** After {@code Connection#connect()}: notices a new socket, so the session starts over on it. */
final class ConnectAdvice {
  private ConnectAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void afterConnect(
      @Advice.This Object connection,
      @Advice.FieldValue("socket") Socket socket,
      @Advice.FieldValue(value = JedisInstrumentationModule.STATE_FIELD, readOnly = false)
          JedisConnectionState state) {
    try {
      if (state == null) {
        state = new JedisConnectionState();
      }
      // Jedis 5.2+ ships its own client-side cache as a Connection subclass; leave it to itself.
      state.connected(
          connection,
          socket,
          connection.getClass().getName().startsWith("redis.clients.jedis.csc."),
          JedisClusterMarker.active());
    } catch (Throwable t) {
      L1Runtime.failed("Jedis connect", t);
    }
  }
}
