package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Runtime;
import net.bytebuddy.asm.Advice;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.args.Rawable;

/**
 * Around {@code Connection#sendCommand(CommandArguments)}, which every command on the wire passes
 * through (pipelines and MULTI included): hands the command to the session so writes invalidate and
 * GETs can fill. The read token is taken before any byte is written; the command is classified
 * after, once the connection is known to be up.
 */
final class SendCommandAdvice {
  private SendCommandAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void beforeSend(
      @Advice.FieldValue(value = JedisInstrumentationModule.STATE_FIELD, readOnly = false)
          JedisConnectionState state) {
    try {
      if (state == null) {
        state = new JedisConnectionState();
      }
      state.beforeSend();
    } catch (Throwable t) {
      L1Runtime.failed("Jedis sendCommand", t);
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void afterSend(
      @Advice.Argument(0) CommandArguments args,
      @Advice.Thrown Throwable thrown,
      @Advice.FieldValue(JedisInstrumentationModule.STATE_FIELD) JedisConnectionState state) {
    try {
      if (state == null) {
        return;
      }
      byte[][] argv = new byte[args.size()][];
      int i = 0;
      for (Rawable arg : args) {
        argv[i++] = arg.getRaw();
      }
      state.afterSend(argv, thrown != null);
    } catch (Throwable t) {
      L1Runtime.failed("Jedis sendCommand", t);
    }
  }
}
