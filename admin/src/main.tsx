import { render } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { LocationProvider, Route, Router, useLocation } from "preact-iso";
import { AccountScreen } from "./account-screen.js";
import { api, SIGNED_OUT_EVENT } from "./api.js";
import { ArticleEditor } from "./articles/article-editor.js";
import { ArticleList } from "./articles/article-list.js";
import { HomeScreen } from "./curation/home-screen.js";
import { DashboardScreen } from "./dashboard/dashboard-screen.js";
import { MediaScreen } from "./media/media-library.js";
import { NewslettersScreen } from "./newsletters/newsletters-screen.js";
import { SuppressionsScreen } from "./newsletters/suppressions-screen.js";
import { OffersScreen } from "./offers/offers-screen.js";
import { OutboxScreen } from "./outbox-screen.js";
import { NotFoundView } from "./parts.js";
import { PaywallScreen } from "./paywall/paywall-settings.js";
import { PlanScreen } from "./plan/plan-form.js";
import { ReaderDetail } from "./readers/reader-detail.js";
import { ReaderList } from "./readers/reader-list.js";
import { StaffContext, useStaff } from "./session.js";
import { SettingsScreen } from "./settings/settings-screen.js";
import { landingOf, Shell } from "./shell.js";
import { SignIn } from "./sign-in.js";
import { StaffScreen } from "./staff/staff-screen.js";
import { SectionsScreen } from "./taxonomy/sections-screen.js";
import type { Staff } from "./types.js";

/** `/admin` opens on the staff member's landing screen, and the address says which (a reload stays there). */
function Landing() {
  const { staff } = useStaff();
  const { route } = useLocation();
  const landing = landingOf(staff);
  useEffect(() => route(landing, true), [landing]);
  return null;
}

function App() {
  const [staff, setStaff] = useState<Staff | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  const load = useCallback(() => {
    api("GET", "/session")
      .then((r) => setStaff(r.staff))
      .catch(() => setStaff(null));
  }, []);
  useEffect(load, []);
  useEffect(() => {
    const onSignedOut = () => setExpired(true);
    window.addEventListener(SIGNED_OUT_EVENT, onSignedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, onSignedOut);
  }, []);

  if (staff === undefined) return <p class="boot">Opening the newsroom…</p>;
  if (staff === null || expired) {
    return (
      <SignIn
        expired={expired && staff !== null}
        onSignedIn={(s) => {
          setStaff(s);
          setExpired(false);
        }}
      />
    );
  }
  return (
    <StaffContext.Provider value={{ staff, signedOut: () => setStaff(null) }}>
      <Shell>
        <Router>
          <Route path="/admin" component={Landing} />
          <Route path="/admin/dashboard" component={DashboardScreen} />
          <Route path="/admin/articles" component={ArticleList} />
          <Route path="/admin/articles/new" component={ArticleEditor} />
          <Route path="/admin/articles/:id" component={ArticleEditor} />
          <Route path="/admin/home" component={HomeScreen} />
          <Route path="/admin/media" component={MediaScreen} />
          <Route path="/admin/settings" component={SettingsScreen} />
          <Route path="/admin/sections" component={SectionsScreen} />
          <Route path="/admin/staff" component={StaffScreen} />
          <Route path="/admin/outbox" component={OutboxScreen} />
          <Route path="/admin/account" component={AccountScreen} />
          <Route path="/admin/readers" component={ReaderList} />
          <Route path="/admin/readers/:id" component={ReaderDetail} />
          <Route path="/admin/paywall" component={PaywallScreen} />
          <Route path="/admin/plan" component={PlanScreen} />
          <Route path="/admin/offers" component={OffersScreen} />
          <Route path="/admin/newsletters" component={NewslettersScreen} />
          <Route path="/admin/suppressions" component={SuppressionsScreen} />
          <Route default component={NotFoundView} />
        </Router>
      </Shell>
    </StaffContext.Provider>
  );
}

render(
  <LocationProvider>
    <App />
  </LocationProvider>,
  document.getElementById("app")!,
);
