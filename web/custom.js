/* This file is part of microloan.  The COPYRIGHT file at the top level of
   this repository contains the full copyright notices and license terms. */
/* The suite's adjustments of the web client: sao's index.html loads
   custom.js from its root after sao itself ("make web" links this file
   there). */
(function() {
    'use strict';

    /* A choice made in a drop-down is the choice sent.  sao's selection
       widget rebuilds its options each time the form is displayed again
       (after any field of the record changes) and selects the record's value
       among the new options only later, asynchronously; in between the
       drop-down shows its first option.  A dialog's button reads every
       widget back into the record (Wizard.response, Form.set_value), so the
       click that follows typing in another field (whose change redraws the
       form as the focus leaves it) sent the first option instead of the
       one chosen: 批准 chosen in the committee vote was stored as 否决 (the
       first option), 否决 chosen in the decision dialog as 批准.  Select the
       record's value as soon as the options are rebuilt, or nothing when it
       is not among them, never whatever option happens to come first. */
    var proto = Sao.View.Form.Selection.prototype;
    var set_selection = proto.set_selection;
    proto.set_selection = function(selection, help) {
        var select = this.select;
        var wanted = select.val();
        set_selection.call(this, selection, help);
        if (select.prop('multiple')) {
            // the multiple selection selects its values at once
            return;
        }
        if (this.record && this.field) {
            wanted = JSON.stringify(this.field.get(this.record));
        }
        if (select.children('option').toArray().some(
                    option => option.value === wanted)) {
            select.val(wanted);
        } else {
            select.prop('selectedIndex', -1);
        }
    };
    /* Nothing selected (the record's value is not among the options yet)
       reads as the record's value: unchanged. */
    var get_value = proto.get_value;
    proto.get_value = function() {
        if (!this.select.prop('multiple') &&
                (this.select.prop('selectedIndex') < 0) &&
                this.record && this.field) {
            return this.field.get(this.record);
        }
        return get_value.call(this);
    };
}());
