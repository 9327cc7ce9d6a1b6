#pragma once

#include "referral/ReferralManager.h"
#include "services/LatestStream.h"
#include "services/ServiceContext.h"

#include "flywheel/v1/referral.grpc.pb.h"

#include <condition_variable>
#include <map>
#include <thread>

namespace flywheel {

/// Invites, registrations, the programme, the commission ledger and the funnel.
/// StreamFunnel is fed by one publisher thread that builds a snapshot when the
/// counts changed (at most every 500 ms, and every 5 s regardless) and hands the
/// same message to every stream.
class ReferralServiceImpl final : public v1::ReferralService::CallbackService {
public:
    ReferralServiceImpl(ServiceContext &context, referral::ReferralManager &referral);
    ~ReferralServiceImpl() override;

    grpc::ServerUnaryReactor *GetInviteLink(grpc::CallbackServerContext *context,
                                            const v1::GetInviteLinkRequest *request, v1::InviteLink *response) override;
    grpc::ServerUnaryReactor *ClickInvite(grpc::CallbackServerContext *context, const v1::ClickInviteRequest *request,
                                          v1::InviteToken *response) override;
    grpc::ServerUnaryReactor *RegisterWithInvite(grpc::CallbackServerContext *context,
                                                 const v1::RegisterWithInviteRequest *request,
                                                 v1::Registration *response) override;
    grpc::ServerUnaryReactor *RecordShare(grpc::CallbackServerContext *context, const v1::RecordShareRequest *request,
                                          v1::RecordShareResponse *response) override;
    grpc::ServerUnaryReactor *GetProgram(grpc::CallbackServerContext *context, const v1::GetProgramRequest *request,
                                         v1::ProgramVersion *response) override;
    grpc::ServerUnaryReactor *ListProgramVersions(grpc::CallbackServerContext *context,
                                                  const v1::ListProgramVersionsRequest *request,
                                                  v1::ListProgramVersionsResponse *response) override;
    grpc::ServerUnaryReactor *SaveProgram(grpc::CallbackServerContext *context, const v1::SaveProgramRequest *request,
                                          v1::ProgramVersion *response) override;
    grpc::ServerUnaryReactor *GetInviteTree(grpc::CallbackServerContext *context,
                                            const v1::GetInviteTreeRequest *request, v1::InviteTree *response) override;
    grpc::ServerUnaryReactor *ListCommissions(grpc::CallbackServerContext *context,
                                              const v1::ListCommissionsRequest *request,
                                              v1::ListCommissionsResponse *response) override;
    grpc::ServerUnaryReactor *TransitionCommissions(grpc::CallbackServerContext *context,
                                                    const v1::TransitionCommissionsRequest *request,
                                                    v1::TransitionCommissionsResponse *response) override;
    grpc::ServerWriteReactor<v1::FunnelSnapshot> *StreamFunnel(grpc::CallbackServerContext *context,
                                                               const v1::StreamFunnelRequest *request) override;

    /// Ends every funnel stream with UNAVAILABLE and stops publishing.
    void closeAll();
    std::shared_ptr<const v1::FunnelSnapshot> snapshot() const;

private:
    using Stream = LatestStream<v1::FunnelSnapshot>;
    void publishLoop();
    void toProto(const referral::Commission &c, v1::Commission *out) const;
    void toProto(Money money, v1::Money *out) const;
    /// Fills `node` and its invitees down to `depth`, except what they earn; appends
    /// every node filled to `nodes`.
    void fillNode(std::int64_t uid, int depth, v1::InviteNode *node, std::vector<v1::InviteNode *> &nodes) const;

    ServiceContext &m_context;
    referral::ReferralManager &m_referral;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<Stream *, std::shared_ptr<Stream>> m_streams;
    bool m_closed = false;
    std::thread m_publisher;
};

} // namespace flywheel
