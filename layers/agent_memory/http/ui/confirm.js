// A modal question answered by a click: resolves true only for the accept button (Cancel or Escape: false).
import { byId } from "./dom.js";

export function confirmDialog(question, acceptLabel = "Delete") {
  const dialog = byId("confirm");
  byId("confirm-text").textContent = question;
  byId("confirm-accept").textContent = acceptLabel;
  return new Promise((resolve) => {
    const answer = (accepted) => () => {
      cleanup();
      dialog.close();
      resolve(accepted);
    };
    const accept = answer(true);
    const cancel = answer(false);
    const escape = (event) => {
      event.preventDefault();
      cancel();
    };
    function cleanup() {
      byId("confirm-accept").removeEventListener("click", accept);
      byId("confirm-cancel").removeEventListener("click", cancel);
      dialog.removeEventListener("cancel", escape);
    }
    byId("confirm-accept").addEventListener("click", accept);
    byId("confirm-cancel").addEventListener("click", cancel);
    dialog.addEventListener("cancel", escape);
    dialog.showModal();
    byId("confirm-cancel").focus();
  });
}
