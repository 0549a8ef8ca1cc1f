package org.reid.service.models;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import org.reid.core.eval.ReidMetrics;
import org.reid.registry.ModelRegistry;
import org.reid.registry.ModelState;
import org.reid.registry.RegisteredModel;
import org.reid.service.config.ReidProperties;
import org.reid.service.security.AuditLog;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.ServingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Automatic promotion: polls the registry for candidates (the training job publishes them) and,
 * when {@code reid.promotion.auto} is on, scores candidate and active model on the same validation
 * split of the gallery ({@link GalleryValidation}). A candidate that beats the active mAP by
 * {@code reid.promotion.min-map-gain} is switched to; a worse one is marked rejected with the
 * numbers as its reason. Every decision is an audit event and a metric.
 */
@Component
public class PromotionGate implements SchedulingConfigurer {
    private static final Logger log = LoggerFactory.getLogger(PromotionGate.class);
    private static final String ACTOR = "promotion-gate";

    /** What the gate decided about one candidate. */
    public record Decision(long candidateId, String outcome, String reason) {}

    private final ModelRegistry registry;
    private final ActiveModel active;
    private final ModelSwitcher switcher;
    private final GalleryValidation validation;
    private final ReidProperties.Promotion settings;
    private final AuditLog audit;
    private final MeterRegistry meters;

    public PromotionGate(ModelRegistry registry, ActiveModel active, ModelSwitcher switcher, GalleryValidation validation,
            ReidProperties properties, AuditLog audit, MeterRegistry meters) {
        this.registry = registry;
        this.active = active;
        this.switcher = switcher;
        this.validation = validation;
        this.settings = properties.getPromotion();
        this.audit = audit;
        this.meters = meters;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        Duration every = settings.getPollEvery();
        tasks.addFixedDelayTask(new FixedDelayTask(this::poll, every, every));
    }

    public void poll() {
        if (settings.isAuto() && active.isReady()) {
            try {
                decideNewest(settings.getMinMapGain());
            } catch (RuntimeException e) {
                log.error("promotion gate failed; it tries again at the next poll", e);
            }
        }
    }

    /** Decides about the newest candidate, if any (and no switch is running). */
    public Optional<Decision> decideNewest(double minMapGain) {
        if (switcher.latest().map(s -> s.state().equals("RUNNING")).orElse(false)) {
            return Optional.empty();
        }
        Optional<RegisteredModel> candidate = registry.list().stream().filter(m -> m.state() == ModelState.CANDIDATE)
                .max(Comparator.comparing(RegisteredModel::createdAt));
        return candidate.map(c -> decide(c, minMapGain));
    }

    /** Scores {@code candidate} against the active model and promotes or rejects it (package-private for tests). */
    Decision decide(RegisteredModel candidate, double minMapGain) {
        GalleryValidation.Split split = validation.split(settings.getValidationIdentities(), 10);
        if (split.identities() < 2 || split.gPids().length == 0) {
            String reason = "gallery has " + split.identities() + " identities seen by two cameras; need at least 2 to compare";
            return record(candidate, "skipped", reason);
        }
        ServingModel current = active.acquire();
        ReidMetrics activeMetrics;
        ReidMetrics candidateMetrics;
        try (ServingModel scored = active.openWithoutIndex(candidate)) {
            activeMetrics = validation.evaluate(current, split);
            candidateMetrics = validation.evaluate(scored, split);
        } finally {
            current.release();
        }
        double gain = candidateMetrics.mAP() - activeMetrics.mAP();
        String numbers = String.format(java.util.Locale.ROOT,
                "gallery validation split of %d identities / %d gallery crops: candidate mAP %.4f rank-1 %.4f, "
                        + "active %s mAP %.4f rank-1 %.4f; gain %+.4f, required %+.4f",
                split.identities(), split.gPids().length, candidateMetrics.mAP(), candidateMetrics.rank(1), current.label(),
                activeMetrics.mAP(), activeMetrics.rank(1), gain, minMapGain);
        Optional<String> overtaken = overtaken(candidate);
        if (overtaken.isPresent()) { // an operator acted while the gate scored: the operator's decision stands
            return record(candidate, "skipped", overtaken.get() + "; " + numbers);
        }
        if (gain >= minMapGain) {
            switcher.start(candidate.id(), "promoted: " + numbers, ACTOR);
            return record(candidate, "promoted", numbers);
        }
        registry.changeState(candidate.id(), ModelState.REJECTED, "rejected: " + numbers);
        return record(candidate, "rejected", numbers);
    }

    /**
     * What happened to the candidate while it was scored, if anything: a switch began (an operator
     * activated it or another model), or it is no longer a candidate. Rejecting it then failed an
     * operator's switch to it after the whole gallery was re-embedded.
     */
    private Optional<String> overtaken(RegisteredModel candidate) {
        Optional<SwitchStatus> running = switcher.latest().filter(s -> s.state().equals("RUNNING"));
        if (running.isPresent()) {
            return Optional.of("a switch to model " + running.get().toModelId() + " began while the gate scored this "
                    + "candidate; it is decided again at a later poll if it is still a candidate");
        }
        ModelState now = registry.find(candidate.name(), candidate.version()).map(RegisteredModel::state).orElse(null);
        return now == ModelState.CANDIDATE ? Optional.empty()
                : Optional.of("the candidate became " + (now == null ? "deleted" : now.name().toLowerCase(java.util.Locale.ROOT))
                        + " while the gate scored it");
    }

    private Decision record(RegisteredModel candidate, String outcome, String reason) {
        audit.record(ACTOR, "model.promotion." + outcome, "model:" + candidate.id(), null, reason);
        Counter.builder("reid.promotion.decisions").description("promotion gate decisions by outcome")
                .tag("outcome", outcome).register(meters).increment();
        log.info("promotion gate: model {} {} {}: {}", candidate.id(), candidate.name(), outcome, reason);
        return new Decision(candidate.id(), outcome, reason);
    }
}
