"""A slider a class can use, as one widget.

Its label, its value in words, a track that fills the panel's width, and a number
field beside it.

One widget instead of a dozen Solara elements per control keeps the page's element tree
small, so every re-render (one per month) stays fast. The track commits a value when
released (the thumb shows the number while dragging); the number field commits on
Enter or when it loses focus; both snap to the control's step and range.
"""

from __future__ import annotations

import ipyvuetify
import traitlets

TEMPLATE = """
<template>
  <div :class="['mnp-control', css_class]">
    <div class="mnp-control-head">
      <span class="mnp-control-label">{{ label }}</span>
      <span class="mnp-control-value">{{ value_text }}</span>
    </div>
    <div class="mnp-control-row">
      <v-slider :value="value" @change="commit" :min="min" :max="max" :step="step"
                thumb-label hide-details dense class="mnp-slider"
                :aria-label="label"></v-slider>
      <input class="mnp-number" type="number" :min="min" :max="max" :step="step"
             :value="value" :aria-label="label" @change="typed">
    </div>
    <div v-if="changed" class="mnp-changed">{{ changed_text }}</div>
  </div>
</template>
<script>
module.exports = {
  methods: {
    snap(v) {
      let x = Number(v);
      if (!isFinite(x)) { return this.value; }
      x = this.min + Math.round((x - this.min) / this.step) * this.step;
      x = Math.min(this.max, Math.max(this.min, x));
      return Number(x.toFixed(6));
    },
    commit(v) { this.value = this.snap(v); },
    typed(event) {
      const x = this.snap(event.target.value);
      event.target.value = x;
      this.value = x;
    },
  },
};
</script>
"""


class SliderField(ipyvuetify.VuetifyTemplate):
    """label, value_text and changed/changed_text are set by Python; `value` by both."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    value_text = traitlets.Unicode("").tag(sync=True)
    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(1.0).tag(sync=True)
    step = traitlets.Float(1.0).tag(sync=True)
    changed = traitlets.Bool(False).tag(sync=True)
    changed_text = traitlets.Unicode("").tag(sync=True)
    css_class = traitlets.Unicode("").tag(sync=True)
