package io.redisl1.instrumentation.lettuce;

import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.protocol.ConnectionFacade;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.netty.channel.Channel;
import io.redisl1.instrumentation.lettuce.support.L1Carrier;
import io.redisl1.instrumentation.lettuce.support.LettuceConnectionL1;
import io.redisl1.instrumentation.lettuce.support.LettuceSupport;
import io.redisl1.store.L1Runtime;
import net.bytebuddy.asm.Advice;

/**
 * {@code DefaultEndpoint#notifyChannelActive(Channel)}: a (re)connected socket whose handshake
 * (HELLO/AUTH, SELECT of the {@code RedisURI} database) has completed, before any queued command
 * is flushed or replayed. Whatever was written to the previous socket will not be answered: its
 * pending replies are abandoned, then the session starts from what the handshake applied.
 *
 * <p>Only plain standalone connections get a session. Cluster node endpoints, pub/sub and
 * master/replica connections route commands past {@code dispatch}, so they stay pass-through.
 */
final class ChannelActiveAdvice {
  private ChannelActiveAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(
      @Advice.This DefaultEndpoint endpoint,
      @Advice.Argument(0) Channel channel,
      @Advice.FieldValue("connectionFacade") ConnectionFacade facade,
      @Advice.FieldValue("clientOptions") Object clientOptions) {
    try {
      if (endpoint.getClass() != DefaultEndpoint.class
          || facade == null
          || facade.getClass() != StatefulRedisConnectionImpl.class
          || !(facade instanceof L1Carrier)
          || L1Runtime.current() == null) {
        return;
      }
      Object state = ((StatefulRedisConnectionImpl<?, ?>) facade).getConnectionState();
      String user = LettuceSupport.userOf(state);
      // The invalidation channel to this server authenticates as the handshake did.
      LettuceSupport.reportConnection(L1Runtime.current(), channel.remoteAddress(), user, state,
          channel.pipeline().toMap().values(), clientOptions);
      L1Carrier carrier = (L1Carrier) facade;
      carrier.redisl1$l1(
          LettuceConnectionL1.activated(
              carrier.redisl1$l1(), channel.remoteAddress(), LettuceSupport.dbOf(state), user, user != null));
    } catch (Throwable t) {
      L1Runtime.failed("Lettuce channel activation", t);
    }
  }
}
