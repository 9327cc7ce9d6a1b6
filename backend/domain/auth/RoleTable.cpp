#include "domain/auth/RoleTable.h"

namespace flywheel::auth {

namespace {

// Shorthands for the table below.
const Access kOpen{true, false, std::nullopt};
const Access kStorefront{false, true, std::nullopt};
Access storefrontOr(Role lowest)
{
    return Access{false, true, lowest};
}
Access adminApi(Role lowest)
{
    return Access{false, false, lowest};
}

} // namespace

// How the table was decided (SPEC.md §9, issue 16):
// - The storefront API is what a shop's servers call for their customers: orders
//   (create, pay, look up, and a customer cancelling an unpaid order), events for
//   the profiles, and invites (links, clicks, registration, shares). QuoteCart prices
//   a cart for the shop, and the catalogue's products are what it sells. Ping and
//   WhoAmI answer any valid token. The storefront API never reaches users' data,
//   rule sets, versions, stock levels or the dashboard.
// - Everything the console uses is the admin API: viewer reads and streams,
//   operator changes things (saves and rollbacks of pricing, segments and referral
//   programmes, receiving stock, commission transitions, refunds and cancellations,
//   and reach decisions, which send messages), admin is for tokens and, later,
//   payment channels and credentials.
// - Where both sides need a call (GetOrder, CancelOrder, QuoteCart, ListProducts,
//   Ping, WhoAmI) the storefront role is allowed next to the lowest admin role.
// - Health checking is open: load balancers and service managers probe it without
//   a token. Reflection describes the admin API: viewer.
RoleTable::RoleTable()
{
    const Role viewer = Role::Viewer;
    const Role op = Role::Operator;
    m_methods = {
        // SystemService
        {"/flywheel.v1.SystemService/Ping", storefrontOr(viewer)},
        {"/flywheel.v1.SystemService/GetServerInfo", adminApi(viewer)},
        {"/flywheel.v1.SystemService/WhoAmI", storefrontOr(viewer)},
        // CatalogService
        {"/flywheel.v1.CatalogService/ListProducts", storefrontOr(viewer)},
        {"/flywheel.v1.CatalogService/ListUsers", adminApi(viewer)},
        // OrderService
        {"/flywheel.v1.OrderService/CreateOrder", kStorefront},
        {"/flywheel.v1.OrderService/PayOrder", kStorefront},
        {"/flywheel.v1.OrderService/CancelOrder", storefrontOr(op)},
        {"/flywheel.v1.OrderService/RefundOrder", adminApi(op)},
        {"/flywheel.v1.OrderService/GetOrder", storefrontOr(viewer)},
        // MetricsService
        {"/flywheel.v1.MetricsService/StreamDashboard", adminApi(viewer)},
        // PricingService
        {"/flywheel.v1.PricingService/GetRuleSet", adminApi(viewer)},
        {"/flywheel.v1.PricingService/ListRuleSetVersions", adminApi(viewer)},
        {"/flywheel.v1.PricingService/SaveRuleSet", adminApi(op)},
        {"/flywheel.v1.PricingService/RollbackRuleSet", adminApi(op)},
        {"/flywheel.v1.PricingService/QuoteCart", storefrontOr(viewer)},
        {"/flywheel.v1.PricingService/GetPricingStatus", adminApi(viewer)},
        {"/flywheel.v1.PricingService/ValidateRuleSet", adminApi(viewer)},
        // InventoryService
        {"/flywheel.v1.InventoryService/ListStock", adminApi(viewer)},
        {"/flywheel.v1.InventoryService/ListInventoryEvents", adminApi(viewer)},
        {"/flywheel.v1.InventoryService/ReceiveStock", adminApi(op)},
        // SegmentService
        {"/flywheel.v1.SegmentService/IngestEvents", kStorefront},
        {"/flywheel.v1.SegmentService/StreamEvents", kStorefront},
        {"/flywheel.v1.SegmentService/LookupUser", adminApi(viewer)},
        {"/flywheel.v1.SegmentService/PreviewSegment", adminApi(viewer)},
        {"/flywheel.v1.SegmentService/ListFeatures", adminApi(viewer)},
        {"/flywheel.v1.SegmentService/GetSegmentSet", adminApi(viewer)},
        {"/flywheel.v1.SegmentService/ListSegmentSetVersions", adminApi(viewer)},
        {"/flywheel.v1.SegmentService/SaveSegmentSet", adminApi(op)},
        {"/flywheel.v1.SegmentService/RollbackSegmentSet", adminApi(op)},
        {"/flywheel.v1.SegmentService/DecideReach", adminApi(op)},
        {"/flywheel.v1.SegmentService/GetReachStats", adminApi(viewer)},
        // ReferralService: the storefront's side
        {"/flywheel.v1.ReferralService/GetInviteLink", kStorefront},
        {"/flywheel.v1.ReferralService/ClickInvite", kStorefront},
        {"/flywheel.v1.ReferralService/RegisterWithInvite", kStorefront},
        {"/flywheel.v1.ReferralService/RecordShare", kStorefront},
        // ReferralService: the console's side
        {"/flywheel.v1.ReferralService/GetProgram", adminApi(viewer)},
        {"/flywheel.v1.ReferralService/ListProgramVersions", adminApi(viewer)},
        {"/flywheel.v1.ReferralService/SaveProgram", adminApi(op)},
        {"/flywheel.v1.ReferralService/GetInviteTree", adminApi(viewer)},
        {"/flywheel.v1.ReferralService/ListCommissions", adminApi(viewer)},
        {"/flywheel.v1.ReferralService/TransitionCommissions", adminApi(op)},
        {"/flywheel.v1.ReferralService/StreamFunnel", adminApi(viewer)},
        // SubsidyService: reading, explaining and replaying are viewing; saving is an edit
        {"/flywheel.v1.SubsidyService/GetSubsidyConfig", adminApi(viewer)},
        {"/flywheel.v1.SubsidyService/ListSubsidyConfigVersions", adminApi(viewer)},
        {"/flywheel.v1.SubsidyService/SaveSubsidyConfig", adminApi(op)},
        {"/flywheel.v1.SubsidyService/RollbackSubsidyConfig", adminApi(op)},
        {"/flywheel.v1.SubsidyService/ExplainSubsidy", adminApi(viewer)},
        {"/flywheel.v1.SubsidyService/SimulateSubsidyConfig", adminApi(viewer)},
        {"/flywheel.v1.SubsidyService/StreamSubsidyRoi", adminApi(viewer)},
        // AlertService: watching alerts is viewing; thresholds and the demo's trigger are edits
        {"/flywheel.v1.AlertService/ListAlerts", adminApi(viewer)},
        {"/flywheel.v1.AlertService/StreamAlerts", adminApi(viewer)},
        {"/flywheel.v1.AlertService/GetAlertThresholds", adminApi(viewer)},
        {"/flywheel.v1.AlertService/ListAlertThresholdsVersions", adminApi(viewer)},
        {"/flywheel.v1.AlertService/SaveAlertThresholds", adminApi(op)},
        {"/flywheel.v1.AlertService/RollbackAlertThresholds", adminApi(op)},
        {"/flywheel.v1.AlertService/TriggerDemoAlert", adminApi(op)},
        // ExperimentService: every status change is an edit
        {"/flywheel.v1.ExperimentService/ListExperiments", adminApi(viewer)},
        {"/flywheel.v1.ExperimentService/ListExperimentVersions", adminApi(viewer)},
        {"/flywheel.v1.ExperimentService/SaveExperiment", adminApi(op)},
        {"/flywheel.v1.ExperimentService/StartExperiment", adminApi(op)},
        {"/flywheel.v1.ExperimentService/StopExperiment", adminApi(op)},
        {"/flywheel.v1.ExperimentService/ShipExperiment", adminApi(op)},
        {"/flywheel.v1.ExperimentService/RollbackExperiment", adminApi(op)},
        {"/flywheel.v1.ExperimentService/StreamExperimentResults", adminApi(viewer)},
        // AuditService: reading the history is viewing; a restore is an edit
        {"/flywheel.v1.AuditService/ListAuditEntries", adminApi(viewer)},
        {"/flywheel.v1.AuditService/RestoreVersion", adminApi(op)},
        // PaymentService: the storefront starts a payment and looks it up; refunds
        // are an operator's; the channels and their credentials are the admin's
        {"/flywheel.v1.PaymentService/CreatePayment", kStorefront},
        {"/flywheel.v1.PaymentService/GetPayment", storefrontOr(viewer)},
        {"/flywheel.v1.PaymentService/ListOrderPayments", adminApi(viewer)},
        {"/flywheel.v1.PaymentService/RefundOrderPayment", adminApi(op)},
        {"/flywheel.v1.PaymentService/GetChannelConfig", adminApi(viewer)},
        {"/flywheel.v1.PaymentService/ListChannelConfigVersions", adminApi(viewer)},
        {"/flywheel.v1.PaymentService/SaveChannelConfig", adminApi(Role::Admin)},
        {"/flywheel.v1.PaymentService/RollbackChannelConfig", adminApi(Role::Admin)},
        {"/flywheel.v1.PaymentService/PreviewRoute", adminApi(viewer)},
        {"/flywheel.v1.PaymentService/ListRefusedNotifications", adminApi(viewer)},
        {"/flywheel.v1.PaymentService/StreamChannelStats", adminApi(viewer)},
        // TokenService: who may call this backend is the admin's
        {"/flywheel.v1.TokenService/ListTokens", adminApi(Role::Admin)},
        {"/flywheel.v1.TokenService/CreateToken", adminApi(Role::Admin)},
        {"/flywheel.v1.TokenService/RevokeToken", adminApi(Role::Admin)},
        // gRPC's own services
        {"/grpc.health.v1.Health/Check", kOpen},
        {"/grpc.health.v1.Health/Watch", kOpen},
        {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", adminApi(viewer)},
    };
}

const RoleTable &RoleTable::instance()
{
    static const RoleTable table;
    return table;
}

const Access *RoleTable::find(std::string_view method) const
{
    const auto found = m_methods.find(method);
    return found == m_methods.end() ? nullptr : &found->second;
}

} // namespace flywheel::auth
