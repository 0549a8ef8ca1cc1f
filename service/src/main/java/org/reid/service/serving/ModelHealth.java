package org.reid.service.serving;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health "model": up once the active model is loaded, with its name and version. */
@Component("model")
public class ModelHealth implements HealthIndicator {
    private final ActiveModel active;

    public ModelHealth(ActiveModel active) {
        this.active = active;
    }

    @Override
    public Health health() {
        if (!active.isReady()) {
            return Health.outOfService().withDetail("reason", "the model is loading").build();
        }
        ServingModel m = active.current();
        return Health.up().withDetail("id", m.id()).withDetail("model", m.label())
                .withDetail("dimension", m.embedder().dimension()).build();
    }
}
