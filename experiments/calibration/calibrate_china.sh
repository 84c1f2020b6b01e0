#!/usr/bin/env bash
# Reproduce the committed calibration (README "How well does it fit?"):
#   1. fit the national scenario to every figure -> scenarios/china_mnp_2019_calibrated.yaml
#   2. the pilots with the same behaviour, fitting only the hard process's hassle
#      -> scenarios/china_pilots_2010.yaml
#   3. out of sample: fit to figures up to 2020-06-30 only, predict the rest
# About 40 minutes on 2 cores. Run from the repository root: bash experiments/calibration/calibrate_china.sh
set -euo pipefail
MNP=${MNP:-.venv/bin/mnp}
PY=${PY:-.venv/bin/python}
TARGETS=experiments/calibration/china_mnp_targets.csv
FITS=(--fit 'population.segments.*.review_rate' --fit behaviour.friction.step_cost.in_person
      --fit policy.awareness.media_rate=0.01:0.3 --fit carriers.mobile.brand=0:30)
COMMON=(--set population.size=100000 --set population.represents=1604330000
        --trials 48 --replicates 4 --seed 2026)

$MNP calibrate scenarios/china_mnp_2019.yaml --targets $TARGETS "${FITS[@]}" "${COMMON[@]}" \
    --out out/calib_china --force
cp out/calib_china/calibrated.yaml scenarios/china_mnp_2019_calibrated.yaml

$PY experiments/calibration/sync_pilots.py
$MNP calibrate scenarios/china_pilots_2010.yaml --targets $TARGETS --only pilot_uptake \
    --fit behaviour.friction.step_cost.losing_carrier_code=100:2000 --set population.size=50000 \
    --trials 14 --replicates 3 --seed 2026 --out out/calib_pilots --force
cp out/calib_pilots/calibrated.yaml scenarios/china_pilots_2010.yaml

$MNP calibrate scenarios/china_mnp_2019.yaml --targets $TARGETS "${FITS[@]}" "${COMMON[@]}" \
    --until 2020-06-30 --out out/calib_china_oos --force
