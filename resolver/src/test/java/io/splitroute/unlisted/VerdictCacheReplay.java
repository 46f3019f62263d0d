package io.splitroute.unlisted;

import io.splitroute.lists.format.CidrFormat;
import io.splitroute.query.AaaaPolicy;
import io.splitroute.query.Query;
import io.splitroute.query.Resolution;
import io.splitroute.query.Route;
import io.splitroute.query.Verdict.Kind;
import io.splitroute.testing.ManualTicker;
import io.splitroute.testing.StageQueries;
import io.splitroute.upstream.Upstream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The verdict cache's hit rate on a day of queries drawn from a popularity ranking (bench/unlisted.sh runs it;
 * not a test). Every name is on no list (a router with no domain list). Visits arrive at random at {@code rate}
 * per second, each to a name drawn by Zipf over the ranking's ranks, and ask A and HTTPS ({@code PTR} for
 * reverse names; AAAA is dropped locally by {@code aaaa: drop}). A response cache keyed by name and type holds
 * each answer for its TTL ({@code ttl}); its misses go through the real {@link UnlistedStage} and
 * {@link VerdictCache} on a manual clock, with upstream groups that answer at once: a name on the china list (or
 * under one) gets a domestic address from both sides, any other a foreign one. The same stream runs with the
 * verdict cache and without it (size 0).
 *
 * <pre>
 * java -cp ... io.splitroute.unlisted.VerdictCacheReplay RANKING CHINA-LIST [hours=24] [rate=2] [ttl=300]
 *     [zipf=1.0] [cache=20000] [verdicts=10000]
 * </pre>
 */
public final class VerdictCacheReplay {
    private static final String DOMESTIC = "198.51.100.7";
    private static final String FOREIGN_AT_HOME = "203.0.113.66";
    private static final String FOREIGN = "192.0.2.7";

    private final List<String> names;
    private final Set<String> china;
    private final Map<String, String> options;

    private VerdictCacheReplay(List<String> names, Set<String> china, Map<String, String> options) {
        this.names = names;
        this.china = china;
        this.options = options;
    }

    /** Runs the replay; arguments as in the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: VerdictCacheReplay RANKING CHINA-LIST [hours=24] [rate=2] [ttl=300] [zipf=1.0]"
                    + " [cache=20000] [verdicts=10000]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>(Map.of("hours", "24", "rate", "2", "ttl", "300",
                "zipf", "1.0", "cache", "20000", "verdicts", "10000"));
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            options.put(kv[0], kv[1]);
        }
        List<String> names = Files.readAllLines(Path.of(args[0])).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList();
        Set<String> china = new HashSet<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (line.startsWith("server=/")) {
                china.add(line.substring(8, line.indexOf('/', 8)).toLowerCase(Locale.ROOT));
            }
        }
        VerdictCacheReplay replay = new VerdictCacheReplay(names, china, options);
        System.out.printf(Locale.ROOT, "ranking %s: %d names; china list %s: %d domains; %s%n", args[0], names.size(),
                args[1], china.size(), options);
        Result with = replay.run(Integer.parseInt(options.get("verdicts")));
        Result without = replay.run(0);
        System.out.println(with.describe("with the verdict cache"));
        System.out.println(without.describe("without it (verdict-cache: 0)"));
        System.out.printf(Locale.ROOT, "upstream queries saved by the verdict cache: %.1f%%%n",
                100.0 * (without.upstream() - with.upstream()) / without.upstream());
    }

    /** What one run counted. */
    record Result(long visits, long queries, long misses, long remembered, long domesticQueries,
                  long trustedQueries, long domesticNames, long verdictsLeft) {
        long upstream() {
            return domesticQueries + trustedQueries;
        }

        String describe(String what) {
            return String.format(Locale.ROOT, "%s: %d visits, %d queries, %d cache misses to the unlisted stage,"
                    + " %d with a remembered verdict (hit rate %.1f%%); upstream queries %d (%.2f per miss: %d"
                    + " domestic, %d trusted); %d names domestic; %d verdicts remembered at the end", what, visits,
                    queries, misses, remembered, 100.0 * remembered / misses, upstream(),
                    (double) upstream() / misses, domesticQueries, trustedQueries, domesticNames, verdictsLeft);
        }
    }

    private Result run(int verdictCacheSize) {
        ManualTicker ticker = new ManualTicker();
        VerdictCache verdicts = new VerdictCache(verdictCacheSize, ticker);
        UnlistedMeters meters = new UnlistedMeters(verdicts);
        long ttl = Long.parseLong(options.get("ttl"));
        var home = new CidrFormat().parse("home", "replay", "198.51.100.0/24\n").table();
        UnlistedPlan plan = new UnlistedPlan("isp", new Answering(true, ttl), "clean", new Answering(false, ttl),
                IpListSet.of(List.of("home"), Map.of("home", home)), IpListSet.none(), verdicts, 0, 86400);
        Route route = Route.of(Route.UNLISTED, "clean", List.of(), AaaaPolicy.DROP).with(UnlistedStage.PLAN, plan);
        UnlistedStage stage = new UnlistedStage(meters, Upstream::query,
                q -> CompletableFuture.completedFuture(Resolution.servfail(q)));
        AnswerCache answers = new AnswerCache(Integer.parseInt(options.get("cache")));
        double[] cumulative = zipf(names.size(), Double.parseDouble(options.get("zipf")));
        Random random = new Random(20261203);
        double rate = Double.parseDouble(options.get("rate"));
        long end = Duration.ofHours(Long.parseLong(options.get("hours"))).toNanos();
        long visits = 0;
        long queries = 0;
        long misses = 0;
        Set<String> domesticNames = new HashSet<>();
        for (long now = 0; now < end; visits++) {
            now += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
            ticker.advance(Duration.ofNanos(now - ticker.nanos()));
            String name = names.get(rank(cumulative, random.nextDouble()));
            int[] types = name.endsWith(".arpa") ? new int[] {Type.PTR} : new int[] {Type.A, Type.HTTPS};
            for (int type : types) {
                queries++;
                if (answers.fresh(name, type, now)) {
                    continue;
                }
                misses++;
                Query query = StageQueries.query(name, type).withRoute(route);
                Resolution r = stage.resolve(query).join();
                answers.put(name, type, now + Duration.ofSeconds(UnlistedStage.lifetime(r.reply(), 0, 86400)).toNanos());
                if (r.verdict() != null && r.verdict().kind() == Kind.DOMESTIC) {
                    domesticNames.add(name);
                }
            }
        }
        long remembered = 0;
        for (Kind kind : Kind.values()) {
            remembered += (long) meters.count(kind, true);
        }
        return new Result(visits, queries, misses, remembered, (long) meters.queries(true),
                (long) meters.queries(false), domesticNames.size(), verdicts.size());
    }

    private boolean domestic(String name) {
        for (String n = name; ; n = n.substring(n.indexOf('.') + 1)) {
            if (china.contains(n)) {
                return true;
            }
            if (n.indexOf('.') < 0) {
                return false;
            }
        }
    }

    /** An upstream group that answers at once: A by the name's kind, PTR for reverse names, NODATA otherwise. */
    private final class Answering implements Upstream {
        private final boolean domesticSide;
        private final long ttl;

        Answering(boolean domesticSide, long ttl) {
            this.domesticSide = domesticSide;
            this.ttl = ttl;
        }

        @Override
        public String name() {
            return domesticSide ? "isp" : "clean";
        }

        @Override
        public CompletableFuture<Message> query(Message query) {
            try {
                Message reply = new Message(query.getHeader().getID());
                reply.getHeader().setFlag(Flags.QR);
                reply.getHeader().setRcode(Rcode.NOERROR);
                reply.addRecord(query.getQuestion(), Section.QUESTION);
                Name name = query.getQuestion().getName();
                int type = query.getQuestion().getType();
                if (type == Type.A) {
                    boolean home = domestic(name.toString(true));
                    String address = home ? DOMESTIC : domesticSide ? FOREIGN_AT_HOME : FOREIGN;
                    reply.addRecord(new ARecord(name, DClass.IN, ttl, InetAddress.ofLiteral(address)), Section.ANSWER);
                } else if (type == Type.PTR) {
                    reply.addRecord(new PTRRecord(name, DClass.IN, ttl, Name.fromConstantString("host.example.")),
                            Section.ANSWER);
                } else {
                    reply.addRecord(new SOARecord(Name.root, DClass.IN, ttl, Name.fromConstantString("ns.example."),
                            Name.fromConstantString("hostmaster.example."), 1, 3600, 600, 86400, ttl), Section.AUTHORITY);
                }
                return CompletableFuture.completedFuture(reply);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /** The response cache, reduced to what decides a miss: name and type to expiry, bounded, least recent out. */
    private static final class AnswerCache extends LinkedHashMap<String, Long> {
        private final int size;

        AnswerCache(int size) {
            super(16, 0.75f, true);
            this.size = size;
        }

        boolean fresh(String name, int type, long now) {
            Long expires = get(name + "/" + type);
            return expires != null && expires > now;
        }

        void put(String name, int type, long expires) {
            put(name + "/" + type, expires);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > size;
        }
    }

    private static double[] zipf(int n, double s) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, s);
            cumulative[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        return cumulative;
    }

    private static int rank(double[] cumulative, double u) {
        int i = java.util.Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
    }
}
