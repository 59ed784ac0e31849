package io.redisl1.instrumentation.jedis;

import io.redisl1.store.L1Entry;
import io.redisl1.store.L1Runtime;
import io.redisl1.store.session.PoolScope;
import java.util.Iterator;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import redis.clients.jedis.Builder;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.Rawable;

/**
 * The pooled hit path, on {@code UnifiedJedis#executeCommand(CommandObject)} ({@code JedisPooled},
 * {@code RedisClient}): a GET the pool's {@link PoolScope} can answer is answered before a
 * connection is borrowed, so the pool's borrow and return are skipped along with the socket. Any
 * other command, and a GET the pool cannot answer, goes on to borrow, where the connection's own
 * hit path ({@link ExecuteCommandAdvice}) decides again.
 */
final class PooledHitAdvice {
  private PooledHitAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  static Object answerBeforeBorrow(
      @Advice.Argument(0) CommandObject<?> command,
      @Advice.FieldValue("provider") Object provider) {
    try {
      if (!(provider instanceof JedisPoolCarrier)) {
        return null;
      }
      PoolScope pool = ((JedisPoolCarrier) provider).redisl1$pool();
      L1Runtime runtime = L1Runtime.current();
      if (pool == null || runtime == null) {
        return null;
      }
      CommandArguments args = command.getArguments();
      if (args.getCommand() != Protocol.Command.GET || args.size() != 2) {
        return null;
      }
      Iterator<Rawable> it = args.iterator();
      it.next();
      L1Entry entry = pool.lookup(runtime, it.next().getRaw());
      if (entry == null) {
        return null;
      }
      Builder<?> builder = command.getBuilder();
      Object value = entry.decodedBy(builder);
      if (value == null) {
        byte[] raw = entry.value();
        value = builder.build(raw == null ? null : raw.clone());
        if (value instanceof String) {
          runtime.store().rememberDecoded(entry, builder, (String) value);
        }
      }
      return value == null ? NilReply.INSTANCE : value;
    } catch (Throwable t) {
      L1Runtime.failed("Jedis pooled executeCommand", t);
      return null;
    }
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void returnHit(
      @Advice.Enter Object hit,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
    if (hit != null) {
      returned = hit == NilReply.INSTANCE ? null : hit;
    }
  }
}
