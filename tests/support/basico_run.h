/* basico_run.h - the hand-computed basico case (tests/e2e/cases/basico) as a run, for tests that render from it. */
#ifndef OBSERVA_TEST_BASICO_RUN_H
#define OBSERVA_TEST_BASICO_RUN_H

#include "observa/catalog.h"
#include "observa/report.h"
#include "observa/run.h"

/** What the documents say about themselves: the sample configuration's values. */
extern const obs_report_info basico_info;

/** The basico exports at corte 2023-10-12 with the given corte anterior and rule; NULL on error. */
obs_run *basico_run(const obs_catalog *cat, obs_day anterior, obs_outreach_rule rule);

#endif /* OBSERVA_TEST_BASICO_RUN_H */
