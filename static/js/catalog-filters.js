// The product listing's filter form follows the address bar.
//
// The listing swaps only its results (htmx, hx-push-url), so Back/Forward
// restores a results snapshot while the form keeps whatever state it had: the
// boxes ticked for a later search, the sort reset. Whenever a history entry is
// shown (htmx's restore, or the browser's own page cache) the form is set from
// the URL, which is the one record of the filters.
(function () {
  "use strict";

  function syncFiltersFromUrl() {
    var form = document.querySelector("form.catalog-filters");
    if (!form) {
      return;
    }
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    var search = form.querySelector("input[name=q]");
    if (search && document.activeElement !== search) {
      search.value = query;
    }
    var categories = params.getAll("category");
    form.querySelectorAll("input[type=checkbox][name=category]").forEach(function (box) {
      box.checked = categories.indexOf(box.value) !== -1;
    });
    var sort = form.querySelector("select[name=sort]");
    if (sort) {
      var wanted = params.get("sort") ||
        (query ? sort.dataset.searchSort : sort.dataset.defaultSort);
      var option = Array.prototype.find.call(sort.options, function (o) {
        return o.value === wanted;
      });
      sort.value = option ? wanted : sort.dataset.defaultSort;
    }
  }

  document.addEventListener("htmx:historyRestore", syncFiltersFromUrl);
  window.addEventListener("pageshow", syncFiltersFromUrl);
  window.addEventListener("popstate", function () {
    // After htmx's own popstate handler has swapped the snapshot in.
    window.setTimeout(syncFiltersFromUrl, 0);
  });
})();
