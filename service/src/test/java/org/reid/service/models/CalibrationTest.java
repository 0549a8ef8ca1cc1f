package org.reid.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceTest;
import org.reid.service.support.TestCrops;

/**
 * {@code GET /api/v1/models/active/calibration} on the shared test service (no
 * {@code reid.search.false-match-rate}: the equal error rate): every rate it reports is recomputed
 * here from the scores it returns, and the threshold it reports is the one searches answer with.
 */
class CalibrationTest extends ServiceTest {
    private static final Offset<Double> EXACT = Offset.offset(1e-12);

    @BeforeEach
    void gallery() {
        Gallery.ensureIngested(api);
    }

    @Test
    void theEqualErrorThresholdIsServedAndEveryReportedRateIsTheSamplesOwn() {
        Api.Response r = api.get("/api/v1/models/active/calibration", Keys.SEARCH);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode c = r.json();
        assertThat(c.get("model").get("name").asText()).isEqualTo("reid-demo-small");
        assertThat(c.get("method").asText()).isEqualTo("equal-error-rate");
        assertThat(c.get("targetFalseMatchRate").isNull()).isTrue();
        assertThat(c.get("genuinePairs").asText()).isEqualTo("cross-camera");
        assertConsistent(c);
        assertThat(c.get("threshold").asDouble()).isEqualTo(c.get("equalError").get("threshold").asDouble());

        JsonNode answer = api.postMultipart("/api/v1/search", Keys.SEARCH,
                List.of(Api.Part.file("image", "q.jpg", TestCrops.bytes(TestCrops.queries().get(0))))).json();
        assertThat(answer.get("threshold").asDouble()).as("the threshold searches answer with").isEqualTo(c.get("threshold").asDouble());
        System.out.println("calibration (equal error rate): " + summary(c));

    }

    /**
     * The answer's rates against its own scores: the shares at or above each threshold, each
     * operating point at most its target and the lowest such threshold on the 0.001 grid, and
     * histograms that count every score once.
     */
    static void assertConsistent(JsonNode c) {
        float[] genuine = scores(c.get("genuineScores"));
        float[] impostor = scores(c.get("impostorScores"));
        assertThat(genuine.length).isEqualTo(c.get("genuineSamples").asInt()).isPositive();
        assertThat(impostor.length).isEqualTo(c.get("impostorSamples").asInt()).isPositive();
        assertThat(sum(c.get("histogram").get("genuine"))).isEqualTo(genuine.length);
        assertThat(sum(c.get("histogram").get("impostor"))).isEqualTo(impostor.length);
        assertThat(c.get("histogram").get("genuine")).hasSize(c.get("histogram").get("impostor").size());

        double t = c.get("threshold").asDouble();
        assertThat(c.get("trueAcceptRate").asDouble()).as("TAR at the threshold").isCloseTo(atOrAbove(genuine, t), EXACT);
        assertThat(c.get("falseMatchRate").asDouble()).as("FMR at the threshold").isCloseTo(atOrAbove(impostor, t), EXACT);
        JsonNode eer = c.get("equalError");
        assertThat(eer.get("trueAcceptRate").asDouble()).isCloseTo(atOrAbove(genuine, eer.get("threshold").asDouble()), EXACT);
        assertThat(eer.get("falseMatchRate").asDouble()).isCloseTo(atOrAbove(impostor, eer.get("threshold").asDouble()), EXACT);

        List<Double> targets = List.of(0.001, 0.01, 0.05, 0.1);
        assertThat(c.get("operatingPoints")).hasSize(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            JsonNode p = c.get("operatingPoints").get(i);
            double target = targets.get(i);
            double pt = p.get("threshold").asDouble();
            assertThat(p.get("targetFalseMatchRate").asDouble()).isEqualTo(target);
            assertThat(p.get("falseMatchRate").asDouble()).as("FMR at " + pt).isCloseTo(atOrAbove(impostor, pt), EXACT)
                    .isLessThanOrEqualTo(target);
            assertThat(p.get("trueAcceptRate").asDouble()).as("TAR at " + pt).isCloseTo(atOrAbove(genuine, pt), EXACT);
            assertThat(atOrAbove(impostor, pt - 0.001)).as("the lowest threshold for FMR " + target + ": one step lower lets more through")
                    .isGreaterThan(target);
            assertThat(p.get("measurable").asBoolean()).isEqualTo(impostor.length * target >= 1 - 1e-9);
        }
    }

    /** The operating point the answer reports for {@code target}. */
    static JsonNode pointAt(JsonNode c, double target) {
        for (JsonNode p : c.get("operatingPoints")) {
            if (p.get("targetFalseMatchRate").asDouble() == target) {
                return p;
            }
        }
        throw new AssertionError("no operating point for " + target + " in " + c.get("operatingPoints"));
    }

    static String summary(JsonNode c) {
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT,
                "threshold %.3f (FMR %.3f, TAR %.3f) on %d genuine / %d impostor scores; EER point %.3f (FMR %.3f, TAR %.3f);",
                c.get("threshold").asDouble(), c.get("falseMatchRate").asDouble(), c.get("trueAcceptRate").asDouble(),
                c.get("genuineSamples").asInt(), c.get("impostorSamples").asInt(), c.get("equalError").get("threshold").asDouble(),
                c.get("equalError").get("falseMatchRate").asDouble(), c.get("equalError").get("trueAcceptRate").asDouble()));
        for (JsonNode p : c.get("operatingPoints")) {
            s.append(String.format(java.util.Locale.ROOT, " FMR<=%s: t=%.3f TAR %.3f;", p.get("targetFalseMatchRate").asText(),
                    p.get("threshold").asDouble(), p.get("trueAcceptRate").asDouble()));
        }
        return s.toString();
    }

    private static float[] scores(JsonNode array) {
        float[] a = new float[array.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) array.get(i).asDouble();
            if (i > 0) {
                assertThat(a[i]).as("scores sorted ascending").isGreaterThanOrEqualTo(a[i - 1]);
            }
        }
        return a;
    }

    /** The share of the scores at or above {@code t}, counted afresh. */
    private static double atOrAbove(float[] scores, double t) {
        int n = 0;
        for (float v : scores) {
            if (v >= t) {
                n++;
            }
        }
        return (double) n / scores.length;
    }

    private static int sum(JsonNode counts) {
        int s = 0;
        for (JsonNode n : counts) {
            s += n.asInt();
        }
        return s;
    }
}
