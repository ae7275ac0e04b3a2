// The media library's focal point picker: a click on the picture sets the
// focal point fields and moves the mark. Without JavaScript the two
// number fields do the same job.
(function () {
  'use strict';
  var fig = document.querySelector('.focal-picker');
  if (!fig) return;
  var img = fig.querySelector('img');
  var mark = fig.querySelector('.focal-mark');
  var fx = document.querySelector('input[data-focal="x"]');
  var fy = document.querySelector('input[data-focal="y"]');
  if (!img || !mark || !fx || !fy) return;

  function clamp(v) { return Math.min(1, Math.max(0, v)); }
  function place() {
    var x = clamp(parseFloat(fx.value)), y = clamp(parseFloat(fy.value));
    if (isNaN(x) || isNaN(y)) { mark.hidden = true; return; }
    mark.style.left = (x * 100) + '%';
    mark.style.top = (y * 100) + '%';
    mark.hidden = false;
  }
  fig.classList.add('focal-active');
  var help = fig.querySelector('.focal-help');
  if (help) help.hidden = false;
  img.addEventListener('click', function (e) {
    var r = img.getBoundingClientRect();
    fx.value = clamp((e.clientX - r.left) / r.width).toFixed(2);
    fy.value = clamp((e.clientY - r.top) / r.height).toFixed(2);
    place();
  });
  fx.addEventListener('input', place);
  fy.addEventListener('input', place);
  place();
})();
