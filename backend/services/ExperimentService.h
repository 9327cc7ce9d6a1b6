#pragma once

#include "experiments/ExperimentManager.h"
#include "services/LatestStream.h"
#include "services/ServiceContext.h"

#include "flywheel/v1/experiments.grpc.pb.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <thread>

namespace flywheel {

/// The experiments of the console: the set and its versions, the lifecycle, and the
/// results. StreamExperimentResults is fed by one publisher thread that looks once a
/// second whether anything changed and sends each stream its experiment's results
/// then, and every 2 seconds regardless.
class ExperimentServiceImpl final : public v1::ExperimentService::CallbackService {
public:
    ExperimentServiceImpl(ServiceContext &context, experiments::ExperimentManager &experiments);
    ~ExperimentServiceImpl() override;

    grpc::ServerUnaryReactor *ListExperiments(grpc::CallbackServerContext *context,
                                              const v1::ListExperimentsRequest *request,
                                              v1::ExperimentSet *response) override;
    grpc::ServerUnaryReactor *ListExperimentVersions(grpc::CallbackServerContext *context,
                                                     const v1::ListExperimentVersionsRequest *request,
                                                     v1::ListExperimentVersionsResponse *response) override;
    grpc::ServerUnaryReactor *SaveExperiment(grpc::CallbackServerContext *context,
                                             const v1::SaveExperimentRequest *request,
                                             v1::ExperimentSet *response) override;
    grpc::ServerUnaryReactor *StartExperiment(grpc::CallbackServerContext *context,
                                              const v1::ChangeExperimentRequest *request,
                                              v1::ExperimentSet *response) override;
    grpc::ServerUnaryReactor *StopExperiment(grpc::CallbackServerContext *context,
                                             const v1::ChangeExperimentRequest *request,
                                             v1::ExperimentSet *response) override;
    grpc::ServerUnaryReactor *ShipExperiment(grpc::CallbackServerContext *context,
                                             const v1::ShipExperimentRequest *request,
                                             v1::ExperimentSet *response) override;
    grpc::ServerUnaryReactor *RollbackExperiment(grpc::CallbackServerContext *context,
                                                 const v1::ChangeExperimentRequest *request,
                                                 v1::ExperimentSet *response) override;
    grpc::ServerWriteReactor<v1::ExperimentResults> *
    StreamExperimentResults(grpc::CallbackServerContext *context,
                            const v1::StreamExperimentResultsRequest *request) override;

    /// Ends every results stream with UNAVAILABLE and stops publishing.
    void closeAll();
    /// The results message of one experiment; NOT_FOUND for an unknown key.
    Result<std::shared_ptr<const v1::ExperimentResults>> resultsMessage(const std::string &key,
                                                                       experiments::IntervalKind kind) const;

private:
    using Stream = LatestStream<v1::ExperimentResults>;
    struct Subscription {
        std::shared_ptr<Stream> stream;
        std::string key;
        experiments::IntervalKind kind;
        std::chrono::steady_clock::time_point lastSent;
        std::uint64_t generation = 0;
    };
    void publishLoop();
    grpc::ServerUnaryReactor *answer(grpc::CallbackServerContext *context,
                                     const Result<experiments::ExperimentManager::Current> &result,
                                     v1::ExperimentSet *response) const;
    void toProto(const experiments::ExperimentManager::Current &current, v1::ExperimentSet *out) const;

    ServiceContext &m_context;
    experiments::ExperimentManager &m_experiments;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<Stream *, Subscription> m_streams;
    bool m_closed = false;
    std::thread m_publisher;
};

} // namespace flywheel
