package io.redisl1.store.tracking;

import io.redisl1.store.EndpointState;
import io.redisl1.store.KeyRules;
import io.redisl1.store.L1Log;
import io.redisl1.store.L1Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLSocketFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The invalidation channels of this JVM, one per Redis endpoint the application's cached
 * connections talk to (see {@link InvalidationChannel}), and what the instrumentations tell them
 * about those connections: the credentials they authenticated with, and which ones use TLS.
 *
 * <p>The channels are the agent's own sockets, not the application's client: the credentials are
 * the ones seen on the application's connections to the same endpoint ({@code AUTH}, {@code HELLO
 * AUTH}, Lettuce's handshake credentials). An endpoint reached over TLS gets a channel over TLS,
 * with the trust and key material of the application's own connection where the instrumentation
 * can read it (Jedis's socket factory or {@code SslOptions}, Lettuce's {@code SslOptions}) and the
 * JVM's default SSL context otherwise; a server certificate that is not trusted makes the endpoint
 * run as {@code invalidation: ttl} (or uncached when invalidation is required), with one warning.
 */
public final class InvalidationChannels {
  private static final String CANARY_ROOT = "__redisl1:canary:";

  private final L1Store store;
  private final InvalidationSettings settings;
  /** This JVM's own canary prefix, so no process receives another's canaries. */
  final byte[] canaryPrefix;
  /**
   * What every channel registers with {@code PREFIX}: the canary's and the cached rules' prefixes
   * (empty: every key). Only grows; replaced under {@link #tracking}.
   */
  volatile List<byte[]> prefixes;
  /** Orders a change of {@link #prefixes} against a channel starting to serve ({@link InvalidationChannel}). */
  final Object tracking = new Object();
  private final ConcurrentMap<String, InvalidationChannel> channels = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Credentials> credentials = new ConcurrentHashMap<>();
  /** Endpoints the application reaches over TLS, with the socket factory the channel uses there. */
  private final ConcurrentMap<String, SSLSocketFactory> tlsEndpoints = new ConcurrentHashMap<>();
  /** Endpoints that can have no channel at all, and why. */
  private final ConcurrentMap<String, String> withoutChannel = new ConcurrentHashMap<>();
  final ScheduledExecutorService canaries =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread t = new Thread(task, "redis-l1-canary");
            t.setDaemon(true);
            return t;
          });

  /** A user and password seen accepted on one of the application's connections. */
  static final class Credentials {
    final String user;
    final byte[] password;

    Credentials(String user, byte[] password) {
      this.user = user;
      this.password = password;
    }

    /** {@code AUTH [user] password} on {@code conn}; the server's reply (an error if refused). */
    Object authenticate(RespConnection conn) throws IOException {
      byte[] auth = "AUTH".getBytes(StandardCharsets.UTF_8);
      return "default".equals(user)
          ? conn.call(auth, password)
          : conn.call(auth, user.getBytes(StandardCharsets.UTF_8), password);
    }
  }

  private InvalidationChannels(L1Store store, KeyRules rules, InvalidationSettings settings) {
    this.store = store;
    this.settings = settings;
    this.canaryPrefix =
        (CANARY_ROOT + UUID.randomUUID() + ":").getBytes(StandardCharsets.UTF_8);
    this.prefixes = TrackedPrefixes.of(rules, canaryPrefix);
  }

  /**
   * Makes every endpoint of {@code store} wait for its channel before it serves. With {@code
   * invalidation: ttl} returns null and changes nothing: no channel, no extra connection.
   */
  public static InvalidationChannels install(L1Store store, KeyRules rules, InvalidationSettings settings) {
    if (settings.mode == InvalidationSettings.Mode.TTL) {
      return null;
    }
    InvalidationChannels channels = new InvalidationChannels(store, rules, settings);
    store.watchEndpoints(channels::open);
    return channels;
  }

  /**
   * Called before {@code rules} take effect: if they cache keys outside the tracked prefixes, every
   * channel stops serving and filling at once and registers again with those prefixes added, so
   * no entry of a new rule is filled before writes to it are pushed. Writes to keys no rule caches
   * cost Redis no push, and the application's writers no wait for one.
   */
  public void track(KeyRules rules) {
    List<byte[]> wanted = TrackedPrefixes.of(rules, canaryPrefix);
    synchronized (tracking) {
      if (TrackedPrefixes.covers(prefixes, wanted)) {
        return;
      }
      List<byte[]> grown = new ArrayList<>(prefixes);
      grown.addAll(wanted);
      prefixes = wanted.isEmpty() ? List.of() : TrackedPrefixes.minimalCover(grown);
      L1Log.info("invalidation channels now track " + TrackedPrefixes.describe(prefixes)
          + " (a rule caches more); they register again and their endpoints' L1 entries are dropped");
      for (InvalidationChannel channel : channels.values()) {
        channel.retrack();
      }
    }
  }

  /** The application's connection to {@code endpoint} was accepted as {@code user}. */
  public void authenticated(String endpoint, String user, byte[] password) {
    if (endpoint == null || password == null) {
      return;
    }
    credentials.put(endpoint, new Credentials(user == null ? "default" : user, password.clone()));
    InvalidationChannel channel = channels.get(endpoint);
    if (channel != null) {
      channel.credentialsChanged();
    }
  }

  /**
   * The application reaches {@code endpoint} over TLS; call before its first connection is used.
   * The channel speaks TLS there too, trusting what the JVM's default SSL context trusts (the
   * {@code javax.net.ssl.*} settings) unless the application's own socket {@code factory} is given.
   */
  public void usesTls(String endpoint, SSLSocketFactory factory) {
    if (endpoint != null) {
      tlsEndpoints.put(endpoint, factory != null ? factory : (SSLSocketFactory) SSLSocketFactory.getDefault());
    }
  }

  /** Every endpoint seen so far, with its channel's state and canary figures, by endpoint. */
  public List<ChannelStatus> statuses() {
    List<ChannelStatus> statuses = new ArrayList<>();
    for (InvalidationChannel channel : channels.values()) {
      statuses.add(channel.status());
    }
    withoutChannel.forEach((endpoint, why) -> statuses.add(ChannelStatus.without(endpoint, why)));
    statuses.sort(Comparator.comparing(ChannelStatus::endpoint));
    return statuses;
  }

  /**
   * Whether every endpoint seen so far had its channel confirmed at least once, or can have none
   * (tracking refused, an untrusted TLS certificate: a lasting condition that waiting would not
   * change). Not withdrawn when
   * a channel is lost later: the endpoint then stops serving from the L1 on its own and every GET
   * goes to Redis, which is no reason to take the application out of traffic. True while no
   * endpoint has been seen: endpoints are found by the application's first connections, which a
   * readiness gate that waited for them could hold off for ever.
   */
  public boolean ready() {
    for (ChannelStatus status : statuses()) {
      if (!status.everConfirmed() && !ChannelStatus.NO_CHANNEL.equals(status.state())
          && !ChannelStatus.CLOSED.equals(status.state())) {
        return false;
      }
    }
    return true;
  }

  /** How the channel to {@code endpoint} connects: over TLS with this factory, or plain if null. */
  SSLSocketFactory tls(String endpoint) {
    return tlsEndpoints.get(endpoint);
  }

  /** Stops every channel (tests; the agent's channels live as long as the JVM). */
  public void close() {
    for (InvalidationChannel channel : channels.values()) {
      channel.close();
    }
    canaries.shutdownNow();
  }

  Collection<InvalidationChannel> channels() {
    return channels.values();
  }

  InvalidationChannel channel(String endpoint) {
    return channels.get(endpoint);
  }

  Credentials credentials(String endpoint) {
    return credentials.get(endpoint);
  }

  L1Store store() {
    return store;
  }

  InvalidationSettings settings() {
    return settings;
  }

  /** A new endpoint: start its channel and give it a short while to come up. */
  private void open(EndpointState state) {
    String endpoint = state.endpoint();
    int colon = endpoint.lastIndexOf(':');
    int port = colon < 0 ? -1 : parsePort(endpoint.substring(colon + 1));
    if (port < 0) {
      withoutChannel(state, "it is not a TCP address");
      return;
    }
    InvalidationChannel channel = new InvalidationChannel(this, state, endpoint.substring(0, colon), port);
    channels.put(endpoint, channel);
    channel.start();
    channel.awaitFirstOutcome(InvalidationSettings.FIRST_CONNECT_WAIT.toMillis());
  }

  /** The endpoint cannot have a channel: serve on TTLs alone, or not at all if so configured. */
  void withoutChannel(EndpointState state, String why) {
    if (!channels.containsKey(state.endpoint())) {
      withoutChannel.put(state.endpoint(), why);
    }
    if (settings.required) {
      L1Log.warn("no invalidation channel to " + state.endpoint() + ": " + why
          + "; its keys are not cached (invalidation-required: true)");
    } else {
      L1Log.warn("no invalidation channel to " + state.endpoint() + ": " + why
          + "; writes from outside this JVM are seen there only when the rule's TTL runs out"
          + " (invalidation: ttl)");
      state.serveWithoutChannel();
    }
  }

  private static int parsePort(String s) {
    try {
      int port = Integer.parseInt(s);
      return port > 0 && port < 65536 ? port : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
