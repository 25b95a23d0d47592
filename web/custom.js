/* The microloan suite's additions to the web client (sao loads custom.js
   after its own code; `make web` installs this file).

   sao 8.0 titles its Preferences dialog with the English word itself:
   a dialog's title goes through the translations like the rest of the
   client (web/locale/*.po translate "Preferences"); a title sao has
   already translated has no entry and stays as it is. */
(function() {
    'use strict';
    var init = Sao.Dialog.prototype.init;
    Sao.Dialog.prototype.init = function(title) {
        var args = Array.prototype.slice.call(arguments);
        if (title) {
            args[0] = Sao.i18n.gettext(title);
        }
        return init.apply(this, args);
    };
}());
