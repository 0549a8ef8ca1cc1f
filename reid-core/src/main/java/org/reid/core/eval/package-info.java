/**
 * Retrieval evaluation, pure Java (no DJL):
 * <ul>
 *   <li>{@link org.reid.core.eval.ReidEvaluator} / {@link org.reid.core.eval.ReidAccumulator}: CMC,
 *       mAP and mINP under the Market-1501 protocol as torchreid and fast-reid compute them, in
 *       memory or streaming one query row at a time ({@link org.reid.core.eval.QueryRowSource});</li>
 *   <li>{@link org.reid.core.eval.RecallAtK}, {@link org.reid.core.eval.NormalizedMutualInfo} and
 *       {@link org.reid.core.eval.KMeans}: the class-disjoint metric-learning protocol;</li>
 *   <li>{@link org.reid.core.eval.KReciprocalReranker}: k-reciprocal re-ranking as torchreid's
 *       {@code re_ranking}.</li>
 * </ul>
 * Golden values: {@code ReidEvalOracleTest} and {@code RerankOracleTest} check every case of
 * {@code oracles/reid_eval.json} and {@code oracles/rerank.json}.
 */
package org.reid.core.eval;
