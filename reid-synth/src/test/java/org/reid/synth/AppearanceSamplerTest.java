package org.reid.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AppearanceSamplerTest {

    @Test
    void lookAlikeGroupsShareClothingAndDifferInADetail() {
        List<Appearance> people = AppearanceSampler.sample(100, 0.5, 42);
        assertThat(people).hasSize(100);
        Map<Integer, List<Appearance>> groups = people.stream().filter(a -> a.lookAlikeGroup() >= 0)
                .collect(Collectors.groupingBy(Appearance::lookAlikeGroup));
        int members = groups.values().stream().mapToInt(List::size).sum();
        assertThat(members).isBetween(45, 50);
        for (List<Appearance> group : groups.values()) {
            assertThat(group.size()).isBetween(2, 4);
            Appearance first = group.get(0);
            for (Appearance other : group.subList(1, group.size())) {
                assertThat(distance(first.upper(), other.upper())).isLessThanOrEqualTo(12);
                assertThat(distance(first.lower(), other.lower())).isLessThanOrEqualTo(12);
                assertThat(other.lowerStyle()).isEqualTo(first.lowerStyle());
                boolean differs = other.pattern() != first.pattern() || other.carry() != first.carry()
                        || other.hairStyle() != first.hairStyle() || other.hasHat() != first.hasHat();
                assertThat(differs).as("a look-alike differs from its template in pattern, bag, hair or hat").isTrue();
            }
        }
    }

    @Test
    void noLookAlikesWhenTheFractionIsZero() {
        assertThat(AppearanceSampler.sample(50, 0, 1)).allMatch(a -> a.lookAlikeGroup() == -1);
    }

    private static int distance(Color a, Color b) {
        return Math.max(Math.abs(a.getRed() - b.getRed()),
                Math.max(Math.abs(a.getGreen() - b.getGreen()), Math.abs(a.getBlue() - b.getBlue())));
    }
}
