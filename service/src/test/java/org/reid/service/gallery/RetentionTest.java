package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reid.service.serving.ActiveModel;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceTest;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.springframework.beans.factory.annotation.Autowired;

/** The retention job erases entries captured before the cutoff, and identities left empty. */
class RetentionTest extends ServiceTest {
    @Autowired
    RetentionJob retention;
    @Autowired
    ActiveModel model;

    @Test
    void oldEntriesAndTheirEmptyIdentitiesAreErased() {
        Path crop = TestCrops.gallery().get(9);
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(
                Api.Part.file("files", "old.png", TestImages.variant(crop, 801)),
                Api.Part.file("files", "new.png", TestImages.variant(crop, 802)),
                Api.Part.field("manifest", "file,identity,camera,capturedAt\nold.png,old-only,1,1999-01-01T00:00:00Z\n"
                        + "new.png,recent,1,2026-11-20T00:00:00Z\n")));
        api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.INGEST);
        long oldEntry = jdbc.queryForObject("select g.id from gallery_entry g join identity i on i.id = g.identity_id "
                + "where i.label = 'old-only'", Long.class);

        int erased = retention.runOnce(Instant.parse("2000-01-01T00:00:00Z"));

        assertThat(erased).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from identity where label = 'old-only'", Long.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from identity where label = 'recent'", Long.class)).isEqualTo(1);
        assertThat(model.current().index().vector(oldEntry)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'retention.delete'", Long.class)).isPositive();
    }
}
