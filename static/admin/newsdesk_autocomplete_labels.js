// Django's entity pickers (select2) name their combobox by the entity chosen, which is nothing
// until one is: name it by the field's label too, for screen readers.
"use strict";

function nameEntityPickers() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
        const label = document.querySelector('label[for="' + select.id + '"]');
        const combobox = select.parentElement.querySelector(".select2-selection");
        if (!label || !combobox) {
            return;
        }
        label.id = label.id || select.id + "_label";
        const chosen = combobox.getAttribute("aria-labelledby") || "";
        combobox.setAttribute("aria-labelledby", (label.id + " " + chosen).trim());
        // The box showing the choice is a textbox of its own, named by the label too.
        const shown = combobox.querySelector(".select2-selection__rendered");
        if (shown) {
            shown.setAttribute("aria-labelledby", label.id);
        }
    });
}

// After Django's autocomplete.js has made the pickers: its jQuery ready handler was queued
// first, and jQuery runs them in order.
document.addEventListener("DOMContentLoaded", function () {
    django.jQuery(nameEntityPickers);
});
